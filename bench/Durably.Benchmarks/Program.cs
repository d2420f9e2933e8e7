using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// A short job (1 launch, 3 warm-ups, 5 measured iterations) keeps a full run to a few minutes on 2 cores.
IConfig config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithIterationCount(5).WithId("Short"))
    .WithOptions(ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
