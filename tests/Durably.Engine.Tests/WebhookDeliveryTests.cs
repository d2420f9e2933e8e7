using Durably.Engine.Storage;
using Microsoft.AspNetCore.Http;

namespace Durably.Engine.Tests;

/// <summary>Webhooks against a real receiver: Kestrel on 127.0.0.1 inside the test.</summary>
public sealed class WebhookDeliveryTests
{
    private const string Secret = "a-webhook-secret-of-32-characters!";

    [Fact]
    public async Task Receiver_GetsExactlyTheEventsItsPatternMatches_InOrder_WithValidSignatures()
    {
        await using var harness = new EngineHarness();
        harness.Register(invocation => Task.FromResult(invocation.Operations[0].ExecutionDetails!.InputPayload == "\"fail\""
            ? EngineHarness.Failed("nope") : EngineHarness.Succeeded()));
        harness.Register(_ => Task.FromResult(EngineHarness.Succeeded()), name: "other");
        string ok = await harness.StartAsync(name: "order-1");
        string failed = await harness.StartAsync("\"fail\"", "order-2");
        await harness.StartAsync(name: "order-3", function: "other");
        await using var receiver = await WebhookReceiver.StartAsync(_ => StatusCodes.Status204NoContent);
        EventSubscription subscription = Subscription(receiver.Url,
            """{"detail":{"status":["SUCCEEDED","FAILED"],"functionArn":[{"prefix":"arn:aws:lambda:local:000000000000:function:fn:"}]}}""");
        await using var deliverer = new WebhookDeliverer(harness.Store, [subscription], new EventDeliveryOptions { PollInterval = TimeSpan.FromMilliseconds(20) }, TimeProvider.System);
        await deliverer.StartAsync();

        WebhookRequest first = await receiver.NextAsync();
        WebhookRequest second = await receiver.NextAsync();
        await deliverer.WaitForCursorAsync(subscription.Name, (await harness.Store.ReadOutboxAsync(0, 100))[^1].Position);
        await deliverer.StopAsync();

        Assert.Equal([(ok, "SUCCEEDED"), (failed, "FAILED")], new[] { first, second }.Select(r => (r.Arn, r.Status)));
        Assert.Equal(0, receiver.Pending);
        foreach (WebhookRequest request in (WebhookRequest[])[first, second])
        {
            Assert.True(WebhookSignature.Verify(Secret, request.Signature, request.Body, TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(5)), request.Signature);
            Assert.False(WebhookSignature.Verify("another-secret-of-32-characters!!", request.Signature, request.Body, TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(5)));
            Assert.False(WebhookSignature.Verify(Secret, request.Signature, request.Body + " ", TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(5)));
            Assert.Equal(request.EventId, request.DeliveryId);
        }
    }

    [Fact]
    public async Task FailingReceiver_EndsInTheDeadLetterList_AfterTheRetries_AndIsRedeliveredOnRequest()
    {
        await using var harness = new EngineHarness();
        harness.Register(_ => Task.FromResult(EngineHarness.Succeeded()));
        await harness.StartAsync(name: "order-1");
        int status = StatusCodes.Status500InternalServerError;
        await using var receiver = await WebhookReceiver.StartAsync(_ => Volatile.Read(ref status));
        EventSubscription subscription = Subscription(receiver.Url, """{"detail":{"status":["SUCCEEDED"]}}""");
        var time = new TimerWatchingTimeProvider(TimeProvider.System.GetUtcNow());
        var options = new EventDeliveryOptions
        {
            MaxAttempts = 3, FirstRetryDelay = TimeSpan.FromSeconds(1), AttemptTimeout = TimeSpan.FromSeconds(30), PollInterval = TimeSpan.FromMinutes(10),
        };
        await using var deliverer = new WebhookDeliverer(harness.Store, [subscription], options, time);
        await deliverer.StartAsync();

        WebhookRequest attempt1 = await receiver.NextAsync();
        await time.WhenTimerArmedAsync(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));
        WebhookRequest attempt2 = await receiver.NextAsync();
        await time.WhenTimerArmedAsync(TimeSpan.FromSeconds(2));
        time.Advance(TimeSpan.FromSeconds(2));
        WebhookRequest attempt3 = await receiver.NextAsync();
        // Past the dead letter, the subscription is idle again: it waits for new events.
        await time.WhenTimerArmedAsync(options.PollInterval);

        DeadLetter letter = Assert.Single(await deliverer.DeadLettersAsync(subscription.Name));
        Assert.Equal((3, "HTTP 500"), (letter.Attempts, letter.LastError));
        Assert.Equal([attempt1.DeliveryId], new[] { attempt2.DeliveryId, attempt3.DeliveryId }.Distinct());
        Assert.Equal(0, receiver.Pending);

        Volatile.Write(ref status, StatusCodes.Status200OK);
        Assert.True(await deliverer.RedeliverAsync(subscription.Name, letter.Position));

        WebhookRequest redelivered = await receiver.NextAsync();
        Assert.Equal((attempt1.DeliveryId, "SUCCEEDED"), (redelivered.DeliveryId, redelivered.Status));
        Assert.Empty(await deliverer.DeadLettersAsync(subscription.Name));
        await deliverer.StopAsync();
    }

    [Fact]
    public async Task Redeliver_UnknownDeadLetter_SaysWhatIsMissing()
    {
        await using var deliverer = new WebhookDeliverer(new InMemoryExecutionStore(), [Subscription(new Uri("http://127.0.0.1:9/"), """{"source":["durably"]}""")],
            new EventDeliveryOptions(), TimeProvider.System);

        KeyNotFoundException noLetter = await Assert.ThrowsAsync<KeyNotFoundException>(() => deliverer.RedeliverAsync("hook", 7));
        KeyNotFoundException noSubscription = await Assert.ThrowsAsync<KeyNotFoundException>(() => deliverer.RedeliverAsync("nope", 7));

        Assert.Equal("The subscription 'hook' has no dead letter at position 7.", noLetter.Message);
        Assert.Equal("There is no event subscription named 'nope'.", noSubscription.Message);
    }

    private static EventSubscription Subscription(Uri url, string pattern) =>
        new() { Name = "hook", Url = url, Pattern = EventPattern.Parse(pattern), Secret = Secret };
}
