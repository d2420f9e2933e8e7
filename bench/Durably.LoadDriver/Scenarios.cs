using System.Diagnostics;
using Durably;

namespace Durably.LoadDriver;

/// <summary>
/// The four measurements of issue 3 / PEERS.md, against any <see cref="IDurableClient"/>:
/// (a) sequential latency, (b) closed-loop throughput, (c) durable-wait lateness, (d) callback resume.
/// Every loop is bounded in count and time.
/// </summary>
internal sealed class Scenarios(IDurableClient client, TextWriter output, Func<int, Task>? runTenSteps = null)
{
    public async Task SequentialAsync(int warmup = 20, int count = 200)
    {
        for (int i = 0; i < warmup; i++)
        {
            await RunTenStepsAsync(i);
        }

        var stats = new Stats();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await RunTenStepsAsync(i);
            stats.Add(Stats.Since(start));
        }

        output.WriteLine($"(a) 10-step workflow, {count} sequential: {stats.Summary()}; {CpuPerWorkflow(cpu, count)}");
    }

    /// <summary>(b): <paramref name="clients"/> closed loops; a first run of <paramref name="warmup"/> is not counted (JIT tiers, caches, WAL size).</summary>
    public async Task ThroughputAsync(int clients, TimeSpan length, TimeSpan warmup)
    {
        if (warmup > TimeSpan.Zero)
        {
            await ClosedLoopsAsync(clients, warmup, report: false);
        }

        await ClosedLoopsAsync(clients, length, report: true);
    }

    private async Task ClosedLoopsAsync(int clients, TimeSpan length, bool report)
    {
        var latency = new Stats();
        int completed = 0;
        int errors = 0;
        long started = Stopwatch.GetTimestamp();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        using var stop = new CancellationTokenSource(length);
        Task[] loops = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                long start = Stopwatch.GetTimestamp();
                try
                {
                    await RunTenStepsAsync(1);
                    latency.Add(Stats.Since(start));
                    Interlocked.Increment(ref completed);
                }
                catch (Exception) when (!stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })).ToArray();
        await Task.WhenAll(loops);
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (!report)
        {
            return;
        }

        output.WriteLine($"(b) {clients} clients for {length.TotalSeconds:F0} s: {completed / seconds:F0} workflows/s, {completed * 10 / seconds:F0} steps/s, errors {errors}; latency {latency.Summary()}; {CpuPerWorkflow(cpu, completed)}");
    }

    public async Task WaitLatenessAsync(int concurrent = 50)
    {
        Workflows.WaitMarks.Clear();
        string run = Guid.NewGuid().ToString("N")[..8];
        string[] keys = Enumerable.Range(0, concurrent).Select(i => $"{run}-{i}").ToArray();
        StartExecutionResult[] starts = await Task.WhenAll(keys.Select(key => client.StartAsync(Workflows.StepWaitStep, key)));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Task.WhenAll(starts.Select(s => client.WaitForResultAsync<int>(s.DurableExecutionArn, deadline.Token)));
        var lateness = new Stats();
        foreach (string key in keys)
        {
            (long t0, long t1) = Workflows.WaitMarks[key];
            lateness.Add(Stats.Between(t0, t1) - 1000);
        }

        output.WriteLine($"(c) step, 1 s wait, step, {concurrent} concurrent: lateness {lateness.Summary()}");
    }

    public async Task CallbackResumeAsync(int count = 200)
    {
        var stats = new Stats();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        for (int i = 0; i < count; i++)
        {
            string key = Guid.NewGuid().ToString("N");
            TaskCompletionSource<string> published = Workflows.CallbackIds.GetOrAdd(key, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
            StartExecutionResult start = await client.StartAsync(Workflows.CallbackResume, key, cancellationToken: deadline.Token);
            string callbackId = await published.Task.WaitAsync(deadline.Token);
            long sent = Stopwatch.GetTimestamp();
            await client.SendCallbackSuccessAsync(callbackId, "ok", deadline.Token);
            await client.WaitForResultAsync<string>(start.DurableExecutionArn, deadline.Token);
            stats.Add(Stats.Between(sent, Workflows.ResumedAt[key]));
            Workflows.CallbackIds.TryRemove(key, out _);
            Workflows.ResumedAt.TryRemove(key, out _);
        }

        output.WriteLine($"(d) callback success -> function resumed, {count} sequential: {stats.Summary()}");
    }

    /// <summary>This process's CPU time (all threads: engine, store, driver) per workflow since <paramref name="before"/>: steadier than wall time on a shared machine.</summary>
    private static string CpuPerWorkflow(TimeSpan before, int workflows) =>
        $"CPU {(Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds / Math.Max(1, workflows):F2} ms/workflow";

    /// <summary>One 10-step workflow from start to result: the injected runner when given (a synchronous invoke over REST), else start and wait.</summary>
    private async Task RunTenStepsAsync(int input)
    {
        if (runTenSteps is not null)
        {
            await runTenSteps(input);
            return;
        }

        StartExecutionResult start = await client.StartAsync(Workflows.TenSteps, input);
        await client.WaitForResultAsync<int>(start.DurableExecutionArn);
    }
}
