using System.Text.Json;
using Durably.Engine.Storage;
using Durably.Protocol;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Engine.Tests;

/// <summary>The configurable per-execution quotas: operations and bytes written (PROTOCOL.md §0 "Limits").</summary>
public sealed class ExecutionQuotaTests
{
    // The harness's default input, "in" as JSON, is 4 bytes.
    private const int InputBytes = 4;

    private static async Task<ExecutionRecord> HeaderAsync(EngineHarness harness, string arn) =>
        (await harness.Store.LoadAsync(arn.Split('/')[^1], []))!.Execution;

    [Fact]
    public async Task CheckpointOverTheByteLimit_IsRejectedWhole_AndOneUnderItSucceeds()
    {
        await using var harness = new EngineHarness(new DurablyOptions { MaxBytesWrittenPerExecution = 100 });
        DurableServiceException? error = null;
        int eventsBefore = 0, eventsAfter = 0;
        long bytesBefore = 0, bytesAfter = 0;
        harness.Register(async invocation =>
        {
            string arn = invocation.Input.DurableExecutionArn;
            await invocation.CheckpointAsync(Updates.StepSucceed("a", new string('x', 60)));
            eventsBefore = (await harness.HistoryAsync(arn)).Count;
            bytesBefore = (await HeaderAsync(harness, arn)).BytesWritten;
            error = await Assert.ThrowsAsync<DurableServiceException>(() =>
                invocation.CheckpointAsync(Updates.StepSucceed("b", "1"), Updates.StepSucceed("c", new string('x', 36))));
            eventsAfter = (await harness.HistoryAsync(arn)).Count;
            bytesAfter = (await HeaderAsync(harness, arn)).BytesWritten;
            // Exactly at the limit is allowed.
            await invocation.CheckpointAsync(Updates.StepSucceed("c", new string('x', 36)));
            return EngineHarness.Succeeded(null);
        });

        string arn = await harness.StartAsync();

        Assert.Equal(ServiceErrorCodes.InvalidParameterValue, error!.ErrorCode);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("Updates[1] (Id 'c') would write 36 bytes; the execution has written 65 bytes and the limit is 100 bytes per execution.", error.Message);
        Assert.Equal(InputBytes + 60, bytesBefore);
        Assert.Equal(bytesBefore, bytesAfter);
        Assert.Equal(eventsBefore, eventsAfter);
        Assert.Equal(["a", "c"], (await harness.Engine.GetOperationsAsync(arn)).Where(o => o.Type == OperationType.Step).Select(o => o.Id));
        Assert.Equal(100, (await HeaderAsync(harness, arn)).BytesWritten);
    }

    [Fact]
    public async Task BytesWritten_CountsInputPayloadsErrorsAsJsonAndTheResult()
    {
        await using var harness = new EngineHarness();
        OperationUpdate failed = Updates.StepFail("f", "bad");
        harness.Register(async invocation =>
        {
            await invocation.CheckpointAsync(Updates.StepSucceed("s", "\"héllo\""), failed);
            return EngineHarness.Succeeded("\"done\"");
        });

        string arn = await harness.StartAsync();

        long errorBytes = JsonSerializer.SerializeToUtf8Bytes(failed.Error, DurablyJson.Api).Length;
        Assert.Equal(InputBytes + 8 + errorBytes + 6, (await HeaderAsync(harness, arn)).BytesWritten);
    }

    [Fact]
    public async Task ResultOverTheByteLimit_FailsTheExecutionWithTheViolation()
    {
        await using var harness = new EngineHarness(new DurablyOptions { MaxBytesWrittenPerExecution = 10 });
        harness.Register(_ => Task.FromResult(EngineHarness.Succeeded("\"too long\"")));

        string arn = await harness.StartAsync();

        DurableExecutionDescription execution = await harness.DescribeAsync(arn);
        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal(ServiceErrorCodes.InvalidParameterValue, execution.Error!.ErrorType);
        Assert.Equal("The execution result would write 10 bytes; the execution has written 4 bytes and the limit is 10 bytes per execution.", execution.Error.ErrorMessage);
    }

    [Fact]
    public async Task StartWithInputOverTheByteLimit_IsRejected()
    {
        await using var harness = new EngineHarness(new DurablyOptions { MaxBytesWrittenPerExecution = 3 });
        harness.Register(_ => Task.FromResult(EngineHarness.Succeeded()));

        DurableServiceException error = await Assert.ThrowsAsync<DurableServiceException>(() => harness.StartAsync());

        Assert.Equal(ServiceErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Equal("The input payload is 4 bytes; the limit is 3 bytes written per execution.", error.Message);
        Assert.Empty(harness.Invocations);
    }

    [Fact]
    public async Task CallbackOverTheByteLimit_IsRejected_AndTheCallbackStaysOpen()
    {
        await using var harness = new EngineHarness(new DurablyOptions { MaxBytesWrittenPerExecution = 20 });
        string? callbackId = null;
        harness.Register(async invocation =>
        {
            if (invocation.Find("cb") is { Status: OperationStatus.Succeeded })
            {
                return EngineHarness.Succeeded(null);
            }

            CheckpointDurableExecutionResponse response = await invocation.CheckpointAsync(Updates.Callback("cb"));
            callbackId = response.NewExecutionState!.Operations.Single(o => o.Id == "cb").CallbackDetails!.CallbackId;
            return EngineHarness.Pending();
        });
        string arn = await harness.StartAsync();

        DurableServiceException success = await Assert.ThrowsAsync<DurableServiceException>(() =>
            harness.Engine.SendCallbackSuccessAsync(callbackId!, "\"" + new string('x', 15) + "\""));
        DurableServiceException failure = await Assert.ThrowsAsync<DurableServiceException>(() =>
            harness.Engine.SendCallbackFailureAsync(callbackId!, new ErrorObject { ErrorMessage = "a long enough message" }));

        Assert.Equal(ServiceErrorCodes.InvalidParameterValue, success.ErrorCode);
        Assert.Equal("The callback result would write 17 bytes; the execution has written 4 bytes and the limit is 20 bytes per execution.", success.Message);
        Assert.Equal(ServiceErrorCodes.InvalidParameterValue, failure.ErrorCode);
        Assert.StartsWith("The callback error would write ", failure.Message, StringComparison.Ordinal);
        Assert.Equal(OperationStatus.Started, (await harness.OperationAsync(arn, "cb")).Status);

        await harness.Engine.SendCallbackSuccessAsync(callbackId!, "\"ok\"");
        await harness.IdleAsync();

        Assert.Equal(ExecutionStatus.Succeeded, (await harness.DescribeAsync(arn)).Status);
        Assert.Equal(InputBytes + 4, (await HeaderAsync(harness, arn)).BytesWritten);
    }

    [Fact]
    public async Task OperationLimit_RejectsANewOperationButNotAnUpdateOfAnExistingOne()
    {
        await using var harness = new EngineHarness(new DurablyOptions { MaxOperationsPerExecution = 2 });
        DurableServiceException? error = null;
        harness.Register(async invocation =>
        {
            await invocation.CheckpointAsync(Updates.StepStart("s1"), Updates.StepStart("s2"));
            error = await Assert.ThrowsAsync<DurableServiceException>(() => invocation.CheckpointAsync(Updates.StepStart("s3")));
            await invocation.CheckpointAsync(Updates.StepSucceed("s1"));
            return EngineHarness.Succeeded();
        });

        string arn = await harness.StartAsync();

        Assert.Equal(ServiceErrorCodes.InvalidParameterValue, error!.ErrorCode);
        Assert.Equal("Updates[0] (Id 's3'): the execution already has 2 operations; the limit is 2 per execution.", error.Message);
        Assert.Equal(OperationStatus.Succeeded, (await harness.OperationAsync(arn, "s1")).Status);
        Assert.DoesNotContain(await harness.Engine.GetOperationsAsync(arn), o => o.Id == "s3");
    }

    [Theory]
    [InlineData(nameof(DurablyOptions.MaxOperationsPerExecution), 0)]
    [InlineData(nameof(DurablyOptions.MaxBytesWrittenPerExecution), 0)]
    [InlineData(nameof(DurablyOptions.MaxBytesWrittenPerExecution), -1)]
    public void InvalidLimit_IsRejectedWhenTheEngineIsBuilt(string option, int value)
    {
        var options = new DurablyOptions();
        if (option == nameof(DurablyOptions.MaxOperationsPerExecution))
        {
            options.MaxOperationsPerExecution = value;
        }
        else
        {
            options.MaxBytesWrittenPerExecution = value;
        }

        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new DurableEngine(new InMemoryExecutionStore(), new FunctionRegistry(), new FakeTimeProvider(), options));

        Assert.Equal(option, error.ParamName);
        Assert.StartsWith($"DurablyOptions.{option} must be at least 1; got {value}.", error.Message, StringComparison.Ordinal);
    }
}
