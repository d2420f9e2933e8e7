using System.Collections.Concurrent;
using Durably.Protocol;
using Durably.TestSupport;
using Xunit.Abstractions;

namespace Durably.CrashSafety.Tests;

/// <summary>
/// Three sample-server processes (nodes) on one PostgreSQL database run the crash-test workload (steps of both semantics,
/// a wait, a retry and a callback) for 300 executions, started and answered through random nodes. One node is SIGKILLed
/// mid-run and started again later; PostgreSQL itself is restarted once (<c>pg_ctl restart -m fast</c>). Every execution
/// must succeed with its result, no step body may run after its SUCCEED was acknowledged (the nodes' side-effect journals,
/// merged by time), and every node must have run a share of the work. Real processes and real time throughout.
/// </summary>
public sealed class PostgresMultiNodeTests(ITestOutputHelper output) : IDisposable
{
    private const int Executions = 300;
    private const int Nodes = 3;
    private const int KilledNode = 1;

    private readonly string _directory = Directory.CreateTempSubdirectory("durably-nodes-").FullName;

    [Fact]
    public async Task ThreeNodes_OneKilledAndTheDatabaseRestarted_CompleteEveryExecutionWithoutRepeatingAcknowledgedSteps()
    {
        var schema = new TempPostgresSchema();
        string[] journals = [.. Enumerable.Range(0, Nodes).Select(node => Path.Combine(_directory, $"node{node}.log"))];
        SampleServerProcess[] nodes = [.. journals.Select(journal => new SampleServerProcess(
            ["--store", "postgres", "--connection-string", schema.ConnectionString, "--side-effects", journal]))];
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            // All at once: the schema is created by whichever node takes the migration lock first.
            await Task.WhenAll(nodes.Select(node => node.StartAsync(deadline.Token)));
            HttpClient[] clients = [.. nodes.Select(node => new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(10) })];
            var random = new Random(20261207);
            HttpClient AnyNode()
            {
                lock (random)
                {
                    return clients[random.Next(Nodes)];
                }
            }

            var started = new ConcurrentDictionary<string, string>();
            using var stopAnswering = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
            Task starting = StartAllAsync(AnyNode, started, deadline.Token);
            Task answering = AnswerCallbacksAsync(AnyNode, journals, stopAnswering.Token);

            // Mid-run: kill a node while executions are open, restart the database, and only then bring the node back.
            await WaitUntilAsync(() => started.Count >= Executions / 4, "a quarter of the executions to start", deadline.Token);
            nodes[KilledNode].Kill();
            output.WriteLine($"Node {KilledNode} killed with {started.Count} executions started.");
            await Task.Delay(TimeSpan.FromSeconds(2), TimeProvider.System, deadline.Token);
            await Task.Run(TestPostgres.Restart, deadline.Token);
            output.WriteLine("PostgreSQL restarted.");
            await Task.Delay(TimeSpan.FromSeconds(2), TimeProvider.System, deadline.Token);
            await nodes[KilledNode].StartAsync(deadline.Token);
            output.WriteLine($"Node {KilledNode} started again with {started.Count} executions started.");

            await starting;
            Dictionary<string, DurableExecutionDescription> finished = await CrashWorkload.WaitForAllAsync(AnyNode, started, deadline.Token);
            await stopAnswering.CancelAsync();
            await answering;

            Assert.Equal(Executions, finished.Count);
            Assert.All(finished, pair =>
            {
                Assert.Equal(ExecutionStatus.Succeeded, pair.Value.Status);
                Assert.Equal($"\"done-{pair.Key}-ok\"", pair.Value.Result);
            });
            IReadOnlyList<SideEffect> effects = SideEffect.ReadMerged(journals);
            CrashWorkload.AssertSideEffects(effects, Executions);
            foreach (string arn in started.Values)
            {
                CrashWorkload.AssertSucceededHistory(await CrashWorkload.ReadHistoryAsync(AnyNode(), arn, deadline.Token));
            }

            // Spread: every node ran a share of the step bodies (the killed one before its death and after its restart).
            int[] bodiesPerNode = [.. Enumerable.Range(0, Nodes).Select(node => effects.Count(e => e.Source == node && e.What.EndsWith("-body", StringComparison.Ordinal)))];
            output.WriteLine($"Step bodies per node: {string.Join(", ", bodiesPerNode)}.");
            Assert.All(bodiesPerNode, bodies => Assert.True(bodies >= bodiesPerNode.Sum() / 20, $"A node ran only {bodies} of {bodiesPerNode.Sum()} step bodies: {string.Join(", ", bodiesPerNode)}."));
            foreach (HttpClient client in clients)
            {
                client.Dispose();
            }
        }
        finally
        {
            foreach (SampleServerProcess node in nodes)
            {
                node.Dispose();
            }

            await schema.DropAsync();
        }
    }

    /// <summary>Starts every execution by name through a random node, one every 20 ms, retrying until one acknowledges it.</summary>
    private static async Task StartAllAsync(Func<HttpClient> anyNode, ConcurrentDictionary<string, string> started, CancellationToken cancellationToken)
    {
        for (int i = 0; i < Executions; i++)
        {
            string key = $"n{i:000}";
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, cancellationToken);
            while (!started.ContainsKey(key))
            {
                if (await CrashWorkload.TryStartAsync(anyNode(), key, cancellationToken) is { } arn)
                {
                    started[key] = arn;
                }
            }
        }
    }

    /// <summary>Answers every callback any node published, each through a random node, until cancelled.</summary>
    private static async Task AnswerCallbacksAsync(Func<HttpClient> anyNode, IReadOnlyList<string> journals, CancellationToken cancellationToken)
    {
        var answered = new HashSet<string>(StringComparer.Ordinal);
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (SideEffect effect in SideEffect.ReadMerged(journals).Where(e => e.What.StartsWith("publish:", StringComparison.Ordinal)))
            {
                string callbackId = effect.What["publish:".Length..];
                if (!answered.Contains(callbackId) && await CrashWorkload.TryAnswerAsync(anyNode(), callbackId, cancellationToken))
                {
                    answered.Add(callbackId);
                }
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Waited 60 s for {what}.");
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a dying child process: the temp folder is cleaned by the OS.
        }
    }
}
