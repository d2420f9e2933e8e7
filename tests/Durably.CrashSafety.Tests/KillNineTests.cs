using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Durably.Protocol;
using Xunit.Abstractions;

namespace Durably.CrashSafety.Tests;

/// <summary>
/// The sample server runs the crash-test workload (steps of both semantics, a wait, a retry and a
/// callback) for 100 executions while it is SIGKILLed at random moments, at least 10 times, and
/// restarted on the same SQLite file. The side effects, counted outside the engine, prove that no
/// work is lost or repeated beyond what each step's semantics allow. A SIGKILL leaves the page cache
/// in place, so this proves nothing about power loss (docs/sqlite.md says what stands in for that).
/// </summary>
public sealed class KillNineTests(ITestOutputHelper output) : IDisposable
{
    private const int Executions = 100;
    private const int Kills = 10;

    /// <summary>Every third kill waits for an at-most-once body in mid-run, so at least that many (ceil(10 / 3)) cut an invocation.</summary>
    private const int MinKillsInterruptingInvocations = 4;
    private readonly string _directory = Directory.CreateTempSubdirectory("durably-crash-").FullName;

    [Fact]
    public async Task SampleServer_RepeatedlyKilled_LosesNothingAndRepeatsNothing()
    {
        string journal = Path.Combine(_directory, "side-effects.log");
        using var server = new SampleServerProcess(Path.Combine(_directory, "durably.db"), journal);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await server.StartAsync(deadline.Token);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };

        var started = new ConcurrentDictionary<string, string>();
        var answered = new ConcurrentDictionary<string, bool>();
        using var stopAnswering = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        Task starting = StartAllAsync(http, started, deadline.Token);
        Task answering = AnswerCallbacksAsync(http, journal, answered, stopAnswering.Token);

        // Kill at random moments until at least 10 kills have hit executions in flight (bounded).
        int kills = 0;
        int killsWithExecutionsOpen = 0;
        var killTimes = new List<DateTimeOffset>();
        var random = new Random(20261128);
        while (killsWithExecutionsOpen < Kills && kills < 3 * Kills)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 1500)), TimeProvider.System, deadline.Token);
            if (kills % 3 == 0)
            {
                // Every third kill waits (bounded) for a step body in mid-run, so some kills surely cut an invocation.
                await WaitForABodyInFlightAsync(journal, deadline.Token);
            }

            int finishedSoFar = SideEffect.Read(journal).Where(e => e.What == "d-ack").Select(e => e.ExecutionKey).Distinct().Count();
            if (started.Count > finishedSoFar)
            {
                killsWithExecutionsOpen++;
            }

            killTimes.Add(TimeProvider.System.GetUtcNow());
            server.Kill();
            kills++;
            await server.StartAsync(deadline.Token);
        }

        await starting;
        Dictionary<string, DurableExecutionDescription> finished = await CrashWorkload.WaitForAllAsync(() => http, started, deadline.Token);
        await stopAnswering.CancelAsync();
        await answering;

        Assert.True(killsWithExecutionsOpen >= Kills, $"Only {killsWithExecutionsOpen} of {kills} kills came while executions were open.");
        Assert.Equal(Executions, finished.Count);
        Assert.All(finished, pair =>
        {
            Assert.Equal(ExecutionStatus.Succeeded, pair.Value.Status);
            Assert.Equal($"\"done-{pair.Key}-ok\"", pair.Value.Result);
        });
        CrashWorkload.AssertSideEffects(SideEffect.Read(journal), Executions);
        var histories = new List<IReadOnlyList<HistoryEvent>>();
        foreach (string arn in started.Values)
        {
            IReadOnlyList<HistoryEvent> history = await CrashWorkload.ReadHistoryAsync(http, arn, deadline.Token);
            CrashWorkload.AssertSucceededHistory(history);
            histories.Add(history);
        }

        // Measured, not assumed: a kill interrupted an invocation when an invocation recorded as crashed
        // (Runtime.ExitError, reclaimed by the restarted server) had started before the kill and ended after it.
        HistoryEvent[] crashed = [.. histories.SelectMany(h => h).Where(e => e.EventType == HistoryEventTypes.InvocationCompleted && e.Details.Error?.Payload?.ErrorType == "Runtime.ExitError")];
        int killsInterruptingInvocations = killTimes.Count(kill => crashed.Any(e => e.Details.StartTimestamp < kill && e.Details.EndTimestamp > kill));
        int interruptedSteps = histories.SelectMany(h => h).Count(e => e.EventType == HistoryEventTypes.StepFailed && e.Details.Error?.Payload?.ErrorType == "StepInterrupted");
        output.WriteLine($"{kills} kills, {killsWithExecutionsOpen} with executions open, {killsInterruptingInvocations} interrupting an invocation; "
            + $"{crashed.Length} invocations reclaimed; {interruptedSteps} at-most-once attempts interrupted.");

        Assert.True(killsInterruptingInvocations >= MinKillsInterruptingInvocations,
            $"Only {killsInterruptingInvocations} of {kills} kills interrupted a running invocation (at least {MinKillsInterruptingInvocations} must).");
        // An at-most-once attempt cut by a kill is not run again: the SDK records it as StepInterrupted and retries.
        Assert.True(interruptedSteps > 0, "No at-most-once step attempt was interrupted by a kill (no StepInterrupted in any history).");
    }

    /// <summary>Waits up to 2 s until the journal shows an at-most-once body started and not yet ended.</summary>
    private static async Task WaitForABodyInFlightAsync(string journal, CancellationToken cancellationToken)
    {
        for (int poll = 0; poll < 200; poll++)
        {
            IReadOnlyList<SideEffect> effects = SideEffect.Read(journal);
            var ended = effects.Where(e => e.What == "b-end").Select(e => (e.ExecutionKey, e.Attempt)).ToHashSet();
            if (effects.Any(e => e.What == "b-start" && !ended.Contains((e.ExecutionKey, e.Attempt))))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, cancellationToken);
        }
    }

    /// <summary>
    /// Starts every execution by name, one every 150 ms so work stays in flight across the kills, retrying
    /// until the start is acknowledged (a kill may drop a request; the name makes the retry idempotent).
    /// </summary>
    private static async Task StartAllAsync(HttpClient http, ConcurrentDictionary<string, string> started, CancellationToken cancellationToken)
    {
        for (int i = 0; i < Executions; i++)
        {
            string key = $"x{i:000}";
            await Task.Delay(TimeSpan.FromMilliseconds(150), TimeProvider.System, cancellationToken);
            while (!started.ContainsKey(key))
            {
                if (await CrashWorkload.TryStartAsync(http, key, cancellationToken) is { } arn)
                {
                    started[key] = arn;
                }
            }
        }
    }

    /// <summary>Answers every published callback once; a 400 CallbackTimeoutException means an earlier answer was already applied.</summary>
    private static async Task AnswerCallbacksAsync(HttpClient http, string journal, ConcurrentDictionary<string, bool> answered, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (SideEffect effect in SideEffect.Read(journal).Where(e => e.What.StartsWith("publish:", StringComparison.Ordinal)))
            {
                string callbackId = effect.What["publish:".Length..];
                if (answered.ContainsKey(callbackId))
                {
                    continue;
                }

                if (await CrashWorkload.TryAnswerAsync(http, callbackId, cancellationToken))
                {
                    answered[callbackId] = true;
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
