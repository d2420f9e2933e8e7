using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Durably.Protocol;

namespace Durably.CrashSafety.Tests;

/// <summary>
/// Driving the crash-test workload (samples/OrderProcessing/Diagnostics) over REST, and what its executions must show
/// afterwards; shared by the kill -9 tests on SQLite and the multi-node test on PostgreSQL.
/// </summary>
internal static class CrashWorkload
{
    /// <summary>Every step of the workload: the line its body writes first, the line that says the body ended, its acknowledgement.</summary>
    private static readonly (string Body, string BodyEnd, string Ack)[] Steps =
        [("a-body", "a-body", "a-ack"), ("b-start", "b-end", "b-ack"), ("c-body", "c-body", "c-ack"), ("d-body", "d-body", "d-ack")];

    /// <summary>Starts execution <paramref name="key"/> (by name, so a retry is idempotent); its ARN, or null when the server did not acknowledge.</summary>
    public static async Task<string?> TryStartAsync(HttpClient http, string key, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "2015-03-31/functions/crash-test/invocations")
            {
                Content = new StringContent(JsonSerializer.Serialize(key), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Amz-Invocation-Type", "Event");
            request.Headers.Add("X-Amz-Durable-Execution-Name", key);
            using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);
            return response.StatusCode == HttpStatusCode.Accepted ? response.Headers.GetValues("X-Amz-Durable-Execution-Arn").Single() : null;
        }
        catch (HttpRequestException)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, cancellationToken);
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // The server died mid-request: try again.
        }
    }

    /// <summary>Answers a published callback with "ok"; true once answered (a 400 CallbackTimeoutException means an earlier answer was already applied).</summary>
    public static async Task<bool> TryAnswerAsync(HttpClient http, string callbackId, CancellationToken cancellationToken)
    {
        try
        {
            using HttpResponseMessage response = await http.PostAsync($"2025-12-01/durable-execution-callbacks/{Uri.EscapeDataString(callbackId)}/succeed",
                new StringContent("\"ok\"", Encoding.UTF8, "application/octet-stream"), cancellationToken);
            return response.IsSuccessStatusCode || response.Headers.TryGetValues("X-Amzn-ErrorType", out IEnumerable<string>? type) && type.Single() == "CallbackTimeoutException";
        }
        catch (HttpRequestException)
        {
            return false; // The server is down; the next pass retries.
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Polls every started execution (through the server <paramref name="http"/> picks each pass) until all are closed.</summary>
    public static async Task<Dictionary<string, DurableExecutionDescription>> WaitForAllAsync(
        Func<HttpClient> http, ConcurrentDictionary<string, string> started, CancellationToken cancellationToken)
    {
        var finished = new Dictionary<string, DurableExecutionDescription>();
        while (finished.Count < started.Count)
        {
            foreach ((string key, string arn) in started)
            {
                if (!finished.ContainsKey(key))
                {
                    DurableExecutionDescription execution = await GetAsync<DurableExecutionDescription>(http(), $"2025-12-01/durable-executions/{Uri.EscapeDataString(arn)}", cancellationToken);
                    if (execution.Status != ExecutionStatus.Running)
                    {
                        finished[key] = execution;
                    }
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System, cancellationToken);
        }

        return finished;
    }

    public static async Task<IReadOnlyList<HistoryEvent>> ReadHistoryAsync(HttpClient http, string arn, CancellationToken cancellationToken)
    {
        var events = new List<HistoryEvent>();
        string? marker = null;
        do
        {
            string query = marker is null ? "?MaxItems=1000" : $"?MaxItems=1000&Marker={Uri.EscapeDataString(marker)}";
            HistoryResponse page = await GetAsync<HistoryResponse>(http, $"2025-12-01/durable-executions/{Uri.EscapeDataString(arn)}/history{query}", cancellationToken);
            events.AddRange(page.Events);
            marker = page.NextMarker;
        }
        while (marker is not null);
        return events;
    }

    /// <summary>A succeeded execution's history: contiguous event ids, ending in ExecutionSucceeded, one outcome per operation.</summary>
    public static void AssertSucceededHistory(IReadOnlyList<HistoryEvent> history)
    {
        Assert.Equal(Enumerable.Range(1, history.Count), history.Select(e => e.EventId));
        Assert.Equal(HistoryEventTypes.ExecutionSucceeded, history[^1].EventType);

        // Every operation (the execution included) reached exactly one outcome: retried attempts are not outcomes.
        string[] outcomes = ["Succeeded", "Failed", "TimedOut", "Stopped", "Cancelled"];
        foreach (IGrouping<string?, HistoryEvent> operation in history.Where(e => e.EventType != HistoryEventTypes.InvocationCompleted).GroupBy(e => e.Id))
        {
            HistoryEvent[] terminal = [.. operation.Where(e => outcomes.Any(outcome => e.EventType.EndsWith(outcome, StringComparison.Ordinal))
                && e.Details.RetryDetails?.NextAttemptDelaySeconds is null)];
            Assert.True(terminal.Length == 1,
                $"Operation {operation.Key} ({operation.First().Name}) has {terminal.Length} terminal events: {string.Join(", ", terminal.Select(e => e.EventType))}.");
        }
    }

    /// <summary>What the journal (in line order) must show for every one of <paramref name="executions"/> executions.</summary>
    public static void AssertSideEffects(IReadOnlyList<SideEffect> effects, int executions)
    {
        foreach (IGrouping<string, SideEffect> execution in effects.GroupBy(e => e.ExecutionKey))
        {
            // An at-most-once attempt never starts twice.
            Assert.All(execution.Where(e => e.What == "b-start").GroupBy(e => e.Attempt), attempt => Assert.Single(attempt));

            // Every acknowledged step's body ran to its end before the code saw its SUCCEED (the "ack" line),
            // and no step body runs after that.
            foreach ((string body, string bodyEnd, string ack) in Steps)
            {
                SideEffect? firstAck = execution.FirstOrDefault(e => e.What == ack);
                Assert.NotNull(firstAck);
                Assert.Contains(execution, e => e.What == bodyEnd && e.Line < firstAck.Line);
                Assert.DoesNotContain(execution, e => e.What == body && e.Line > firstAck.Line);
            }

            // The retried step failed once, then succeeded: at least two attempts.
            Assert.Contains(execution, e => e.What == "c-body" && e.Attempt >= 2);
        }

        Assert.Equal(executions, effects.Select(e => e.ExecutionKey).Distinct().Count());
    }

    private static async Task<T> GetAsync<T>(HttpClient http, string path, CancellationToken cancellationToken)
    {
        string body = await http.GetStringAsync(path, cancellationToken);
        return JsonSerializer.Deserialize<T>(body, DurablyJson.Api)!;
    }

    private sealed record HistoryResponse(IReadOnlyList<HistoryEvent> Events, string? NextMarker = null);
}
