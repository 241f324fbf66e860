using ExportFlows.Activities.Exporters;
using ExportFlows.Worker.Cli;
using Microsoft.Extensions.Logging;
using Temporalio.Exceptions;

namespace ExportFlows.Tests.Cli;

public sealed class ExpectedFailureLogTests
{
    private sealed class Recording : ILoggerProvider, ILogger
    {
        public List<(string Text, Exception? Exception)> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((formatter(state, exception), exception));

        public void Dispose()
        {
        }
    }

    private static (string Text, Exception? Exception) LogCompletion(Exception failure)
    {
        var recording = new Recording();
        using var provider = new ExpectedFailureLoggerProvider(recording);

        provider.CreateLogger("Temporalio.Activity:ExportSubsetPerformance").LogWarning(failure, "Completing activity {Activity} as failed", "ExportSubsetPerformance");

        return Assert.Single(recording.Entries);
    }

    [Fact]
    public void Log_SdkCompletionOfAnExpectedFailure_OneLineWithTheMessageNoTrace()
    {
        var failure = new ApplicationFailureException("v1/subsets/performance.json: the as-of date 2026-12-07 lies after the data", new EmptyInputException("x"), "EmptyInput");

        var (text, exception) = LogCompletion(failure);

        Assert.Null(exception);
        Assert.Equal("Completing activity ExportSubsetPerformance as failed: v1/subsets/performance.json: the as-of date 2026-12-07 lies after the data", text);
    }

    [Fact]
    public void Log_SdkCompletionOfABug_KeepsTheException()
    {
        var bug = new ApplicationFailureException("Object reference not set", new NullReferenceException(), nameof(NullReferenceException));

        var (_, exception) = LogCompletion(bug);

        Assert.Same(bug, exception);
    }
}
