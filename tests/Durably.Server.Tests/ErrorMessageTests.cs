using System.Net;
using System.Text.Json;
using Durably.Server.Tests.Infrastructure;

namespace Durably.Server.Tests;

/// <summary>Error messages say what was wrong in the caller's terms: no internal type names, and echoed input shortened.</summary>
public sealed class ErrorMessageTests : IAsyncLifetime
{
    private DurablyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string, string> WrongJsonShapes => new()
    {
        { "durably/functions", "[]" },
        { "durably/functions", """{"FunctionName":7}""" },
        { "durably/functions", """{"FunctionName":"f","ExecutionTimeout":"x"}""" },
        { "durably/functions", """{"FunctionName":"f","ExecutionTimeout":1.5}""" },
        { "checkpoint", "[]" },
        { "checkpoint", """{"Updates":[]}""" },
        { "checkpoint", """{"CheckpointToken":1}""" },
        { "checkpoint", """{"CheckpointToken":"t","Updates":{}}""" },
        { "checkpoint", """{"CheckpointToken":"t","Updates":[{"Id":"a","Type":"NOPE","Action":"START"}]}""" },
        { "checkpoint", """{"CheckpointToken":"t","Updates":[{"Id":"a","Type":"STEP","Action":"START","StepOptions":[]}]}""" },
        { "stop", """{"ErrorMessage":[]}""" },
        { "stop", "7" },
    };

    [Theory]
    [MemberData(nameof(WrongJsonShapes))]
    public async Task AJsonBodyOfTheWrongShape_Is400_WithoutInternalTypeNames(string route, string body)
    {
        string arn = await _server.Client.StartAsync("sleeper", "\"x\"");
        string path = route == "durably/functions" ? route : ApiRequests.Execution(arn, "/" + route);

        using HttpResponseMessage response = await _server.Client.PostRawAsync(path, body);

        string message = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidParameterValueException");
        foreach (string internalName in (string[])["Durably.", "System.", "`1", "+", "Nullable", "Int32", "Protocol"])
        {
            Assert.DoesNotContain(internalName, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AHugeBadPropertyName_IsEchoedShortened()
    {
        string name = new('p', 10_000);

        using HttpResponseMessage response = await _server.Client.PostRawAsync("durably/functions", $$"""{"FunctionName":"f","{{name}}":{"a":[1,"x"]},"ExecutionTimeout":"x"}""");

        string message = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidParameterValueException");
        Assert.True(message.Length < 400, message);
    }

    public static TheoryData<string> HugeValuesInTheEngine => new()
    {
        "execution name",
        "marker",
        "execution ARN",
    };

    /// <summary>The engine's own validation quotes what it refuses shortened too, whatever route carried it.</summary>
    [Theory]
    [MemberData(nameof(HugeValuesInTheEngine))]
    public async Task AHugeBadValueRefusedByTheEngine_IsEchoedShortened(string what)
    {
        string huge = new('q', 5_000);
        string arn = await _server.Client.StartAsync("sleeper", "\"x\"");
        using var request = what switch
        {
            "execution name" => InvokeWithName(huge),
            "marker" => new HttpRequestMessage(HttpMethod.Get, ApiRequests.Execution(arn, "/history?Marker=" + huge)),
            _ => new HttpRequestMessage(HttpMethod.Get, ApiRequests.Execution(arn.Replace("sleeper", huge, StringComparison.Ordinal))),
        };

        using HttpResponseMessage response = await _server.Client.SendAsync(request);

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{what}: {response.StatusCode}");
        string body = await response.Content.ReadAsStringAsync();
        Assert.Contains("qqqq", body, StringComparison.Ordinal);
        Assert.True(body.Length < 500, $"{what}: {body.Length} characters: {body[..Math.Min(body.Length, 300)]}");
    }

    private static HttpRequestMessage InvokeWithName(string name)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "2015-03-31/functions/echo/invocations") { Content = ApiRequests.Raw("\"x\"") };
        request.Headers.Add("X-Amz-Invocation-Type", "Event");
        request.Headers.Add("X-Amz-Durable-Execution-Name", name);
        return request;
    }
}
