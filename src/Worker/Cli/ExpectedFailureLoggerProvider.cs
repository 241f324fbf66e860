using ExportFlows.Activities;
using Microsoft.Extensions.Logging;
using Temporalio.Exceptions;

namespace ExportFlows.Worker.Cli;

/// <summary>
/// Wraps the console provider so the Temporal SDK's own "Completing activity … as failed" entry is one line for a
/// failure of a kind ExportFlows names (empty input, missing table, …): its message says what to do, and
/// <see cref="ExportActivities"/> has logged it already. An unexpected exception keeps its stack trace (a bug to report).
/// </summary>
[ProviderAlias("Console")]
public sealed class ExpectedFailureLoggerProvider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => categoryName.StartsWith("Temporalio.Activity", StringComparison.Ordinal)
        ? new WithoutExpectedTraces(inner.CreateLogger(categoryName))
        : inner.CreateLogger(categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

    public void Dispose() => inner.Dispose();

    /// <summary>Whether the failure an activity ends with is of a named kind (the SDK then need not print its trace).</summary>
    public static bool IsExpected(Exception? exception) =>
        exception is ApplicationFailureException failure && (failure.InnerException is null || ExportActivities.IsExpected(failure.InnerException));

    private sealed class WithoutExpectedTraces(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsExpected(exception))
            {
                inner.Log(logLevel, eventId, state, null, (s, _) => $"{formatter(s, null)}: {OneLine(exception!.Message)}");
                return;
            }
            inner.Log(logLevel, eventId, state, exception, formatter);
        }

        private static string OneLine(string message) => message.Split('\n')[0].TrimEnd('\r');
    }
}
