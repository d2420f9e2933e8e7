using System.Net;
using System.Text.Json;
using Durably.Protocol;
using Durably.Server.Tests.Infrastructure;

namespace Durably.Server.Tests;

/// <summary>The configurable per-execution quotas over the REST API.</summary>
public sealed class ExecutionQuotaRoutesTests
{
    [Fact]
    public async Task Checkpoint_OverTheByteLimit_Is400InvalidParameterValue_NamingTheLimit()
    {
        var probe = new InvocationProbe();
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(
            durably => durably.AddRawFunction("probe", probe.Handler), engine: options => options.MaxBytesWrittenPerExecution = 50);
        // The input {"n":1} is 7 bytes; the payload below is 44.
        string arn = await server.Client.StartAsync("probe", "{\"n\":1}");
        ProbedInvocation invocation = await probe.NextAsync();
        string body = $"{{\"CheckpointToken\":{JsonSerializer.Serialize(invocation.Input.CheckpointToken)},\"Updates\":["
            + $"{{\"Id\":\"s1\",\"Type\":\"STEP\",\"SubType\":\"Step\",\"Action\":\"SUCCEED\",\"Payload\":{JsonSerializer.Serialize(new string('x', 44))}}}]}}";

        using HttpResponseMessage response = await server.Client.PostRawAsync(ApiRequests.Execution(arn, "/checkpoint"), body);

        string message = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidParameterValueException");
        Assert.Equal("Updates[0] (Id 's1') would write 44 bytes; the execution has written 7 bytes and the limit is 50 bytes per execution.", message);
        Assert.DoesNotContain(await server.Engine.GetOperationsAsync(arn), o => o.Id == "s1");
        invocation.Return(InvocationStatus.Succeeded);
    }

    [Fact]
    public async Task Start_WithAnInvalidLimit_Throws_NamingTheOption()
    {
        ArgumentOutOfRangeException error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => DurablyTestServer.StartAsync(
            durably => durably.AddRawFunction("probe", new InvocationProbe().Handler), engine: options => options.MaxOperationsPerExecution = 0));

        Assert.Equal(nameof(DurablyOptions.MaxOperationsPerExecution), error.ParamName);
        Assert.Contains("must be at least 1", error.Message, StringComparison.Ordinal);
    }
}
