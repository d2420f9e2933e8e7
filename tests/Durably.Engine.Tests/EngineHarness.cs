using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Protocol;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Engine.Tests;

/// <summary>An engine on the in-memory store and fake time, with raw functions scripted by the test.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    public const string FunctionName = "fn";

    /// <summary>
    /// A harness on a new store and clock, or on those of a previous harness (a restart); the engine reaches the store
    /// through <paramref name="wrapStore"/> when given (a test that counts the engine's writes).
    /// </summary>
    public EngineHarness(DurablyOptions? options = null, InMemoryExecutionStore? store = null, FakeTimeProvider? time = null, Func<IExecutionStore, IExecutionStore>? wrapStore = null)
    {
        Store = store ?? new InMemoryExecutionStore();
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Engine = new DurableEngine(wrapStore is null ? Store : wrapStore(Store), new FunctionRegistry(), Time, options);
        Engine.StartAsync().GetAwaiter().GetResult();
    }

    public FakeTimeProvider Time { get; }

    public InMemoryExecutionStore Store { get; }

    public DurableEngine Engine { get; }

    public List<RawInvocation> Invocations { get; } = [];

    /// <summary>Registers a raw function; each invocation is recorded in <see cref="Invocations"/>.</summary>
    public EngineHarness Register(Func<RawInvocation, Task<DurableExecutionInvocationOutput>> body, string name = FunctionName, string version = "1", TimeSpan? executionTimeout = null)
    {
        Engine.Functions.Register(new RegisteredFunction
        {
            Name = name,
            Version = version,
            ExecutionTimeout = executionTimeout ?? TimeSpan.FromDays(1),
            RetentionPeriodInDays = 14,
            InvocationTimeout = TimeSpan.FromMinutes(15),
            Handler = (input, client, _) =>
            {
                var invocation = new RawInvocation(input, client, version);
                lock (Invocations)
                {
                    Invocations.Add(invocation);
                }

                return body(invocation);
            },
        });
        return this;
    }

    public async Task<string> StartAsync(string? input = "\"in\"", string? name = null, string function = FunctionName)
    {
        StartExecutionResult result = await Engine.StartExecutionAsync(function, input, name);
        await IdleAsync();
        return result.DurableExecutionArn;
    }

    public Task IdleAsync() => Engine.WaitUntilIdleAsync();

    public async Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        Engine.Wake();
        await IdleAsync();
    }

    public async Task<DurableExecutionDescription> DescribeAsync(string arn) => await Engine.GetExecutionAsync(arn);

    public Task<IReadOnlyList<HistoryEvent>> HistoryAsync(string arn) => Engine.HistoryAsync(arn);

    public Task<IReadOnlyList<string>> EventTypesAsync(string arn) => Engine.EventTypesAsync(arn);

    public async Task<Operation> OperationAsync(string arn, string id) => (await Engine.GetOperationsAsync(arn)).Single(o => o.Id == id);

    public ValueTask DisposeAsync() => Engine.DisposeAsync();

    public static DurableExecutionInvocationOutput Pending() => new() { Status = InvocationStatus.Pending };

    public static DurableExecutionInvocationOutput Succeeded(string? result = "\"done\"") => new() { Status = InvocationStatus.Succeeded, Result = result };

    public static DurableExecutionInvocationOutput Failed(string message) => new() { Status = InvocationStatus.Failed, Error = new ErrorObject { ErrorType = "Boom", ErrorMessage = message } };
}

/// <summary>One invocation of a raw function: the envelope and a checkpoint helper that tracks the latest token.</summary>
internal sealed class RawInvocation(DurableExecutionInvocationInput input, IDurableExecutionClient client, string version)
{
    public DurableExecutionInvocationInput Input { get; } = input;

    public IDurableExecutionClient Client { get; } = client;

    public string Version { get; } = version;

    public string Token { get; private set; } = input.CheckpointToken;

    public IReadOnlyList<Operation> Operations => Input.InitialExecutionState.Operations;

    public Operation? Find(string id) => Operations.FirstOrDefault(o => o.Id == id);

    public async Task<CheckpointDurableExecutionResponse> CheckpointAsync(params OperationUpdate[] updates)
    {
        CheckpointDurableExecutionResponse response = await Client.CheckpointAsync(new CheckpointDurableExecutionRequest
        {
            DurableExecutionArn = Input.DurableExecutionArn,
            CheckpointToken = Token,
            Updates = updates,
        });
        Token = response.CheckpointToken;
        return response;
    }
}

/// <summary>Short builders of checkpoint updates.</summary>
internal static class Updates
{
    public static OperationUpdate StepStart(string id, string? name = null) =>
        new() { Id = id, Name = name, Type = OperationType.Step, SubType = "Step", Action = OperationAction.Start };

    public static OperationUpdate StepSucceed(string id, string? payload = "1", string? name = null) =>
        new() { Id = id, Name = name, Type = OperationType.Step, SubType = "Step", Action = OperationAction.Succeed, Payload = payload };

    public static OperationUpdate StepFail(string id, string message = "bad") =>
        new() { Id = id, Type = OperationType.Step, SubType = "Step", Action = OperationAction.Fail, Error = new ErrorObject { ErrorType = "E", ErrorMessage = message } };

    public static OperationUpdate StepRetry(string id, int delaySeconds, ErrorObject? error = null, string? payload = null) =>
        new() { Id = id, Type = OperationType.Step, SubType = "Step", Action = OperationAction.Retry, Error = error, Payload = payload, StepOptions = new StepOptions { NextAttemptDelaySeconds = delaySeconds } };

    public static OperationUpdate Wait(string id, int seconds, string? name = null) =>
        new() { Id = id, Name = name, Type = OperationType.Wait, SubType = "Wait", Action = OperationAction.Start, WaitOptions = new WaitOptions { WaitSeconds = seconds } };

    public static OperationUpdate Callback(string id, int timeout = 0, int heartbeat = 0, string? name = null) =>
        new() { Id = id, Name = name, Type = OperationType.Callback, SubType = "Callback", Action = OperationAction.Start, CallbackOptions = new CallbackOptions { TimeoutSeconds = timeout, HeartbeatTimeoutSeconds = heartbeat } };

    public static OperationUpdate ContextStart(string id, string? parentId = null) =>
        new() { Id = id, ParentId = parentId, Type = OperationType.Context, SubType = "RunInChildContext", Action = OperationAction.Start };

    public static OperationUpdate ContextSucceed(string id, string? payload = "1", bool? replayChildren = null) =>
        new() { Id = id, Type = OperationType.Context, SubType = "RunInChildContext", Action = OperationAction.Succeed, Payload = payload, ContextOptions = replayChildren is null ? null : new ContextOptions { ReplayChildren = replayChildren } };

    public static OperationUpdate Invoke(string id, string functionName, string? payload) =>
        new() { Id = id, Type = OperationType.ChainedInvoke, SubType = "ChainedInvoke", Action = OperationAction.Start, Payload = payload, ChainedInvokeOptions = new ChainedInvokeOptions { FunctionName = functionName } };
}
