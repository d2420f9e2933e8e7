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
}
