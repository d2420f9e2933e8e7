using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Protocol;

namespace Durably.StoreContract;

/// <summary>Hand-built store records for the contract suite.</summary>
public static class StoreSamples
{
    public const string Function = "orders";

    public static ExecutionChange Creation(string executionId, string name, DateTimeOffset now, string input = "\"in\"", string function = Function)
    {
        string functionArn = $"arn:aws:lambda:local:000000000000:function:{function}:1";
        var execution = new ExecutionRecord
        {
            ExecutionId = executionId,
            DurableExecutionArn = $"{functionArn}/durable-execution/{name}/{executionId}",
            ExecutionName = name,
            FunctionName = function,
            FunctionVersion = "1",
            FunctionArn = functionArn,
            Status = ExecutionStatus.Running,
            StartTimestamp = now,
            InputPayload = input,
            ExecutionTimeoutSeconds = 86_400,
            RetentionPeriodInDays = 14,
            Version = 1,
            OperationCount = 1,
            EventCount = 1,
        };
        return new ExecutionChange
        {
            Execution = execution,
            ExpectedVersion = 0,
            Operations = [new OperationRecord(0, new Operation { Id = executionId, Type = OperationType.Execution, Status = OperationStatus.Started, StartTimestamp = now })],
            Events = [new HistoryEvent { EventType = HistoryEventTypes.ExecutionStarted, EventId = 1, EventTimestamp = now, Id = executionId }],
            TimersToSet = [new TimerRecord(executionId, TimerRecord.TimeoutKey, TimerKind.ExecutionTimeout, now.AddDays(1))],
        };
    }

    /// <summary>A change of the sample execution from <paramref name="expectedVersion"/> that adds <paramref name="operation"/>.</summary>
    public static ExecutionChange AddOperation(string executionId, long expectedVersion, OperationRecord operation, DateTimeOffset now) => new()
    {
        Execution = Creation(executionId, executionId, now).Execution with { Version = expectedVersion + 1, OperationCount = (int)expectedVersion + 1 },
        ExpectedVersion = expectedVersion,
        Operations = [operation],
    };

    public static OperationRecord Step(int sequence, string id) =>
        new(sequence, new Operation { Id = id, Type = OperationType.Step, SubType = "Step", Status = OperationStatus.Started });

    public static HistoryEvent Event(int eventId, string operationId) =>
        new() { EventType = HistoryEventTypes.StepStarted, EventId = eventId, EventTimestamp = DateTimeOffset.UnixEpoch, Id = operationId };
}
