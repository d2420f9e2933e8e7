using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Durably.Engine;
using Durably.Protocol;
using Durably.Server.Tests.Infrastructure;

namespace Durably.Server.Tests;

/// <summary>
/// A running step is visible while its body runs: the lazy STARTs (a CONTEXT's, an at-least-once STEP's) are sent within
/// a few milliseconds instead of with the step's outcome (docs/sdk.md "Checkpoint batching").
/// </summary>
public sealed class StartFlushTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task LongStep_InAChildContext_IsInTheHistoryWhileItsBodyRuns()
    {
        var bodyRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(durably => durably.AddFunction<string, string>("long-step",
            (input, context) => context.RunInChildContextAsync((child, _) => child.StepAsync(async (_, _) =>
            {
                bodyRunning.TrySetResult();
                await release.Task;
                return input;
            }, "slow"), "phase")));
        using ExecutionChangeSubscription changes = server.Engine.Changes.Subscribe(new ExecutionChangeFilter(FunctionName: "long-step"));

        string arn = await server.Client.StartAsync("long-step", "\"x\"");
        await bodyRunning.Task.WaitAsync(Patience);
        IReadOnlyList<HistoryEvent> history = await WaitForHistoryAsync(server, changes, arn,
            events => events.Any(e => e.EventType == HistoryEventTypes.StepStarted), "StepStarted while the step body waits");

        Assert.False(release.Task.IsCompleted);
        Assert.Equal([HistoryEventTypes.ExecutionStarted, HistoryEventTypes.ContextStarted, HistoryEventTypes.StepStarted],
            history.Select(e => e.EventType));
        JsonElement overRest = await ApiAssert.JsonAsync(await server.Client.GetAsync(ApiRequests.Execution(arn, "/history")));
        Assert.Equal(["ExecutionStarted", "ContextStarted", "StepStarted"],
            overRest.GetProperty("Events").EnumerateArray().Select(e => e.GetProperty("EventType").GetString()));
        Assert.All((await server.Engine.GetOperationsAsync(arn)).Where(o => o.Type != OperationType.Execution),
            operation => Assert.Equal(OperationStatus.Started, operation.Status));

        release.SetResult();
        Assert.Equal("\"x\"", (await server.Engine.WaitForCompletionAsync(arn).WaitAsync(Patience)).Result);
    }

    [Fact]
    public async Task WorkerProcessKilledMidBody_LeavesContextStartedAndStepStarted()
    {
        var worker = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        int invocations = 0;
        Uri? address = null;
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(durably => durably.AddRawFunction("hang", (input, _, cancellationToken) =>
            Interlocked.Increment(ref invocations) == 1
                ? RunHangingWorkerAsync(input, address!, worker, cancellationToken)
                : new TaskCompletionSource<DurableExecutionInvocationOutput>().Task.WaitAsync(cancellationToken)));
        address = server.Address;
        using ExecutionChangeSubscription changes = server.Engine.Changes.Subscribe(new ExecutionChangeFilter(FunctionName: "hang"));

        string arn = await server.Client.StartAsync("hang", "\"x\"");
        await WaitForHistoryAsync(server, changes, arn, events => events.Any(e => e.EventType == HistoryEventTypes.StepStarted),
            "StepStarted from the worker process while its step body runs");
        Process process = await worker.Task.WaitAsync(Patience);
        process.Kill(entireProcessTree: true);
        IReadOnlyList<HistoryEvent> history = await WaitForHistoryAsync(server, changes, arn,
            events => events.Any(e => e.EventType == HistoryEventTypes.InvocationCompleted), "the engine to record the killed invocation");

        Assert.Equal(
            [HistoryEventTypes.ExecutionStarted, HistoryEventTypes.ContextStarted, HistoryEventTypes.StepStarted, HistoryEventTypes.InvocationCompleted],
            history.Select(e => e.EventType));
        Assert.NotNull(history[^1].Details.Error);
        Operation step = Assert.Single(await server.Engine.GetOperationsAsync(arn), o => o.Type == OperationType.Step);
        Assert.Equal(("endless", OperationStatus.Started), (step.Name, step.Status));
    }

    /// <summary>Reads the history each time the execution changes until <paramref name="condition"/> holds.</summary>
    private static async Task<IReadOnlyList<HistoryEvent>> WaitForHistoryAsync(
        DurablyTestServer server, ExecutionChangeSubscription changes, string arn, Func<IReadOnlyList<HistoryEvent>, bool> condition, string what)
    {
        long started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            IReadOnlyList<HistoryEvent> history = (await server.Engine.GetHistoryAsync(arn)).Events;
            if (condition(history))
            {
                return history;
            }

            TimeSpan left = Patience - TimeProvider.System.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                Assert.Fail($"Timed out after {Patience.TotalSeconds} s waiting for {what}. History: {string.Join(", ", history.Select(e => e.EventType))}");
            }

            await changes.ReadAsync(left);
        }
    }

    /// <summary>Runs the invocation in tests/Durably.TestWorker's hanging mode; the test kills the process mid-body.</summary>
    private static async Task<DurableExecutionInvocationOutput> RunHangingWorkerAsync(
        DurableExecutionInvocationInput input, Uri server, TaskCompletionSource<Process> started, CancellationToken cancellationToken)
    {
        string worker = typeof(StartFlushTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "TestWorkerPath").Value!;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { worker, server.ToString(), "hang" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("The worker did not start.");
        try
        {
            started.SetResult(process);
            await process.StandardInput.WriteAsync(JsonSerializer.Serialize(input, DurablyJson.Envelope).AsMemory(), cancellationToken);
            process.StandardInput.Close();
            Task<string> errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            throw new InvalidOperationException($"The worker exited with {process.ExitCode} in mid-body: {await errors}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
