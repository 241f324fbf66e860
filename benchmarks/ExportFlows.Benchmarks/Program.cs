using BenchmarkDotNet.Running;

if (args is ["tonight-fanout", ..])
{
    return await ExportFlows.Benchmarks.TonightFanOut.RunAsync(rounds: args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3);
}
if (args is ["graph", ..])
{
    return await ExportFlows.Benchmarks.GraphCriticalPath.RunAsync(rounds: args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3);
}
if (args is ["game-day", ..])
{
    return await ExportFlows.Benchmarks.GameDay.RunAsync(args.Length > 1 ? args[1] : null);
}
BenchmarkSwitcher.FromAssembly(typeof(ExportFlows.Benchmarks.ExporterBenchmarks).Assembly).Run(args);
return 0;
