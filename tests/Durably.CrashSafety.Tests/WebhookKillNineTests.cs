using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Durably.Engine;
using Durably.TestSupport;

namespace Durably.CrashSafety.Tests;

/// <summary>
/// Webhook delivery across SIGKILLs of the sample server: the server is killed twice while a webhook request is in
/// flight (the receiver holds it), and restarted on the same SQLite file. Every status-change event still arrives, the
/// interrupted ones again (at least once), and, counting each delivery id once, in order per execution.
/// </summary>
public sealed class WebhookKillNineTests : IDisposable
{
    private const int Executions = 20;
    private readonly string _directory = Directory.CreateTempSubdirectory("durably-webhook-crash-").FullName;

    [Fact]
    public async Task SampleServer_KilledMidDelivery_LosesNoEvent_AndKeepsOrderPerExecution()
    {
        var received = new ConcurrentQueue<WebhookRequest>();
        Hold[] holds = [new(Executions / 2), new(3 * Executions / 2)];
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(async request =>
        {
            received.Enqueue(request);
            int distinct = received.Select(r => r.DeliveryId).Distinct().Count();
            foreach (Hold hold in holds)
            {
                if (distinct == hold.AtDistinct && Interlocked.Exchange(ref hold.Taken, 1) == 0)
                {
                    hold.Held.TrySetResult(request);
                    await hold.Release.Task;
                }
            }

            return 204;
        });
        using var server = new SampleServerProcess(Path.Combine(_directory, "durably.db"), Path.Combine(_directory, "side-effects.log"));
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await server.StartAsync(deadline.Token);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

        using HttpResponseMessage subscribed = await http.PostAsync("durably/subscriptions", Json($$$"""{"Name":"crash","Url":"{{{receiver.Url}}}","Pattern":{"source":["durably"]}}"""), deadline.Token);
        Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        string secret = JsonDocument.Parse(await subscribed.Content.ReadAsStringAsync(deadline.Token)).RootElement.GetProperty("Secret").GetString()!;
        var arns = new List<string>();
        for (int i = 0; i < Executions; i++)
        {
            arns.Add(await StartOrderAsync(http, $"o-{i}", deadline.Token));
        }

        foreach (string arn in arns)
        {
            using HttpResponseMessage stopped = await http.PostAsync($"2025-12-01/durable-executions/{Uri.EscapeDataString(arn)}/stop", Json("{}"), deadline.Token);
            Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
        }

        var interrupted = new List<WebhookRequest>();
        foreach (Hold hold in holds)
        {
            interrupted.Add(await hold.Held.Task.WaitAsync(deadline.Token));
            server.Kill();
            hold.Release.TrySetResult();
            await server.StartAsync(deadline.Token);
        }

        while (received.Select(r => r.DeliveryId).Distinct().Count() < 2 * Executions)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, deadline.Token);
        }

        WebhookRequest[] all = [.. received];
        Assert.All(interrupted, held => Assert.True(all.Count(r => r.DeliveryId == held.DeliveryId) >= 2, $"The delivery interrupted by a kill ({held.Status} of {held.Arn}) was not delivered again."));
        WebhookRequest[] firsts = [.. all.DistinctBy(r => r.DeliveryId)];
        Assert.Equal(2 * Executions, firsts.Length);
        Assert.All(arns, arn => Assert.Equal(["RUNNING", "STOPPED"], firsts.Where(r => r.Arn == arn).Select(r => r.Status)));
        Assert.All(all, request =>
        {
            Assert.Equal(request.EventId, request.DeliveryId);
            Assert.True(WebhookSignature.Verify(secret, request.Signature, request.Body, TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(5)));
        });
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<string> StartOrderAsync(HttpClient http, string name, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "2015-03-31/functions/order-processor/invocations")
        {
            Content = Json($$"""{"orderId":"{{name}}","amount":42.5,"currency":"EUR"}"""),
        };
        request.Headers.Add("X-Amz-Invocation-Type", "Event");
        request.Headers.Add("X-Amz-Durable-Execution-Name", name);
        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response.Headers.GetValues("X-Amz-Durable-Execution-Arn").Single();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>Holds the webhook request that brings the distinct deliveries to <see cref="AtDistinct"/> until released.</summary>
    private sealed class Hold(int atDistinct)
    {
        public int Taken;

        public int AtDistinct { get; } = atDistinct;

        public TaskCompletionSource<WebhookRequest> Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
