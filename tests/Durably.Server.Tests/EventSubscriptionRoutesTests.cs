using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Durably.Server.Tests;

/// <summary>Webhook subscriptions through the REST API: /durably/subscriptions (Admin scope).</summary>
public sealed class EventSubscriptionRoutesTests
{
    private const string Pattern = """{"detail":{"status":["SUCCEEDED","FAILED"]}}""";

    [Fact]
    public async Task Add_List_Replace_Remove()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(_ => { });

        using HttpResponseMessage created = await server.Client.PostRawAsync("durably/subscriptions",
            $$"""{"Name":"hook","Url":"http://127.0.0.1:1/hook","Pattern":{{Pattern}}}""");
        using HttpResponseMessage replaced = await server.Client.PostRawAsync("durably/subscriptions",
            """{"Name":"hook","Url":"http://127.0.0.1:1/other","Pattern":"{\"source\":[\"durably\"]}","Secret":"a-chosen-secret-of-32-characters!!"}""");
        using HttpResponseMessage listed = await server.Client.GetAsync("durably/subscriptions");

        JsonElement first = await ApiAssert.JsonAsync(created, HttpStatusCode.Created);
        Assert.Matches("^[0-9a-f]{48}$", first.GetProperty("Secret").GetString());
        Assert.Equal("FAILED", first.GetProperty("Pattern").GetProperty("detail").GetProperty("status")[1].GetString());
        Assert.Equal("a-chosen-secret-of-32-characters!!", (await ApiAssert.JsonAsync(replaced)).GetProperty("Secret").GetString());
        JsonElement only = Assert.Single((await ApiAssert.JsonAsync(listed)).GetProperty("Subscriptions").EnumerateArray());
        Assert.Equal(("hook", "http://127.0.0.1:1/other", "runtime", 0), (only.GetProperty("Name").GetString(), only.GetProperty("Url").GetString(),
            only.GetProperty("Source").GetString(), only.GetProperty("DeadLetters").GetInt32()));
        Assert.False(only.TryGetProperty("Secret", out _));

        using HttpResponseMessage removed = await server.Client.DeleteAsync("durably/subscriptions/hook");
        using HttpResponseMessage again = await server.Client.DeleteAsync("durably/subscriptions/hook");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal("There is no event subscription named 'hook'.", await ApiAssert.ErrorAsync(again, HttpStatusCode.NotFound, "ResourceNotFoundException", "Message"));
        Assert.Empty(server.Services.GetRequiredService<WebhookDeliverer>().Subscriptions);
    }

    [Theory]
    [InlineData("", "needs a JSON body")]
    [InlineData("""{"Url":"http://127.0.0.1:1/","Pattern":{"source":["durably"]}}""", "Name '' is invalid")]
    [InlineData("""{"Name":"a/b","Url":"http://127.0.0.1:1/","Pattern":{"source":["durably"]}}""", "Name 'a/b' is invalid")]
    [InlineData("""{"Name":"h","Url":"ftp://127.0.0.1/","Pattern":{"source":["durably"]}}""", "Url 'ftp://127.0.0.1/' is invalid")]
    [InlineData("""{"Name":"h","Url":"http://example.com/hook","Pattern":{"source":["durably"]}}""", "Url host 'example.com' is not allowed")]
    [InlineData("""{"Name":"h","Url":"http://127.0.0.1:1/"}""", "Pattern is required")]
    [InlineData("""{"Name":"h","Url":"http://127.0.0.1:1/","Pattern":["durably"]}""", "Pattern is required")]
    [InlineData("""{"Name":"h","Url":"http://127.0.0.1:1/","Pattern":{"source":"durably"}}""", "Event pattern field 'source': values must be given in an array")]
    [InlineData("""{"Name":"h","Url":"http://127.0.0.1:1/","Pattern":"{not json"}""", "The event pattern is not valid JSON")]
    [InlineData("""{"Name":"h","Url":"http://127.0.0.1:1/","Pattern":{"source":["durably"]},"Secret":"short"}""", "Secret must be 32-256 characters long; got 5")]
    public async Task InvalidSubscription_Is400_AndAddsNothing(string body, string message)
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(_ => { });

        using HttpResponseMessage response = await server.Client.PostRawAsync("durably/subscriptions", body);

        Assert.Contains(message, await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidParameterValueException"), StringComparison.Ordinal);
        Assert.Empty(server.Services.GetRequiredService<WebhookDeliverer>().Subscriptions);
    }

    [Fact]
    public async Task CodeSubscription_IsListed_ButCannotBeReplacedOrRemoved_409()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(durably =>
            durably.AddEventSubscription("in-code", new Uri("http://127.0.0.1:1/"), Pattern, "a-webhook-secret-of-32-characters!"));

        using HttpResponseMessage replace = await server.Client.PostRawAsync("durably/subscriptions", """{"Name":"in-code","Url":"http://127.0.0.1:1/","Pattern":{"source":["durably"]}}""");
        using HttpResponseMessage remove = await server.Client.DeleteAsync("durably/subscriptions/in-code");
        using HttpResponseMessage listed = await server.Client.GetAsync("durably/subscriptions");

        await ApiAssert.ErrorAsync(replace, HttpStatusCode.Conflict, "ResourceConflictException");
        await ApiAssert.ErrorAsync(remove, HttpStatusCode.Conflict, "ResourceConflictException");
        Assert.Equal("code", Assert.Single((await ApiAssert.JsonAsync(listed)).GetProperty("Subscriptions").EnumerateArray()).GetProperty("Source").GetString());
    }

    [Fact]
    public async Task FailedDelivery_IsListedAsADeadLetter_AndRedeliveredOnRequest()
    {
        int status = 500;
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(_ => Volatile.Read(ref status));
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions()
            .ConfigureEventDelivery(options => (options.MaxAttempts, options.PollInterval) = (2, TimeSpan.FromMilliseconds(20))));
        using HttpResponseMessage created = await server.Client.PostRawAsync("durably/subscriptions", $$"""{"Name":"hook","Url":"{{receiver.Url}}","Pattern":{{Pattern}}}""");
        string secret = (await ApiAssert.JsonAsync(created, HttpStatusCode.Created)).GetProperty("Secret").GetString()!;

        string arn = await server.Client.StartAsync("echo", "\"hi\"");
        WebhookRequest firstAttempt = await receiver.NextAsync();
        WebhookRequest secondAttempt = await receiver.NextAsync();
        JsonElement letter = await SingleDeadLetterAsync(server);

        Assert.Equal((arn, "SUCCEEDED"), (firstAttempt.Arn, firstAttempt.Status));
        Assert.Equal(firstAttempt.DeliveryId, secondAttempt.DeliveryId);
        Assert.True(WebhookSignature.Verify(secret, secondAttempt.Signature, secondAttempt.Body, TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(5)));
        Assert.Equal((2, "HTTP 500"), (letter.GetProperty("Attempts").GetInt32(), letter.GetProperty("LastError").GetString()));

        Volatile.Write(ref status, 204);
        long position = letter.GetProperty("Position").GetInt64();
        using HttpResponseMessage redelivered = await server.Client.PostAsync($"durably/subscriptions/hook/redeliver?Position={position}", null);
        using HttpResponseMessage unknown = await server.Client.PostAsync($"durably/subscriptions/hook/redeliver?Position={position}", null);
        using HttpResponseMessage invalid = await server.Client.PostAsync("durably/subscriptions/hook/redeliver?Position=x", null);
        using HttpResponseMessage none = await server.Client.GetAsync("durably/subscriptions/nope/dead-letters");

        Assert.True((await ApiAssert.JsonAsync(redelivered)).GetProperty("Delivered").GetBoolean());
        Assert.Equal((arn, firstAttempt.DeliveryId), ((await receiver.NextAsync()).Arn, firstAttempt.DeliveryId));
        Assert.Empty((await ApiAssert.JsonAsync(await server.Client.GetAsync("durably/subscriptions/hook/dead-letters"))).GetProperty("DeadLetters").EnumerateArray());
        Assert.Contains($"no dead letter at position {position}", await ApiAssert.ErrorAsync(unknown, HttpStatusCode.NotFound, "ResourceNotFoundException", "Message"), StringComparison.Ordinal);
        Assert.Contains("Position 'x' is invalid", await ApiAssert.ErrorAsync(invalid, HttpStatusCode.BadRequest, "InvalidParameterValueException"), StringComparison.Ordinal);
        await ApiAssert.ErrorAsync(none, HttpStatusCode.NotFound, "ResourceNotFoundException", "Message");
    }

    [Fact]
    public async Task AKeyWithoutTheAdminScope_IsRefused403()
    {
        const string invokeKey = "invoke-key-0123456789-0123456789-0";
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(_ => { }, options =>
        {
            options.ApiKeys.Add("admin-key-0123456789-0123456789-01");
            options.ScopedApiKeys.Add(new DurablyApiKey { Key = invokeKey, Scopes = { DurablyApiScope.Invoke } });
        });
        server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", invokeKey);

        using HttpResponseMessage list = await server.Client.GetAsync("durably/subscriptions");
        using HttpResponseMessage add = await server.Client.PostRawAsync("durably/subscriptions", """{"Name":"h","Url":"http://127.0.0.1:1/","Pattern":{"source":["durably"]}}""");

        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
    }

    /// <summary>The one dead letter, once the subscription has gone through the whole outbox (its last event dead-lettered).</summary>
    private static async Task<JsonElement> SingleDeadLetterAsync(DurablyTestServer server)
    {
        long end = await server.Services.GetRequiredService<IExecutionStore>().GetOutboxEndAsync();
        await server.Services.GetRequiredService<WebhookDeliverer>().WaitForCursorAsync("hook", end);
        JsonElement letters = (await ApiAssert.JsonAsync(await server.Client.GetAsync("durably/subscriptions/hook/dead-letters"))).GetProperty("DeadLetters");
        return Assert.Single(letters.EnumerateArray());
    }
}
