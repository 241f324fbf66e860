using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(ExportFlows.Benchmarks.ExporterBenchmarks).Assembly).Run(args);
