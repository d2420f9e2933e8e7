using System.Text.Json.Serialization;

namespace Durably.Protocol;

/// <summary>The kind of a durable operation (PROTOCOL.md §2.8).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OperationType>))]
public enum OperationType
{
    /// <summary>The execution itself; exactly one per execution, created by the service.</summary>
    [JsonStringEnumMemberName("EXECUTION")] Execution,
    /// <summary>A child context, parallel, map or wait-for-callback scope.</summary>
    [JsonStringEnumMemberName("CONTEXT")] Context,
    /// <summary>A step (also wait-for-condition).</summary>
    [JsonStringEnumMemberName("STEP")] Step,
    /// <summary>A durable wait.</summary>
    [JsonStringEnumMemberName("WAIT")] Wait,
    /// <summary>A callback answered through the callback API.</summary>
    [JsonStringEnumMemberName("CALLBACK")] Callback,
    /// <summary>An invoke of another durable function.</summary>
    [JsonStringEnumMemberName("CHAINED_INVOKE")] ChainedInvoke,
}

/// <summary>The status of an operation.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OperationStatus>))]
public enum OperationStatus
{
    /// <summary>Started, not finished.</summary>
    [JsonStringEnumMemberName("STARTED")] Started,
    /// <summary>A step retry is scheduled.</summary>
    [JsonStringEnumMemberName("PENDING")] Pending,
    /// <summary>A step retry is due.</summary>
    [JsonStringEnumMemberName("READY")] Ready,
    /// <summary>Finished successfully.</summary>
    [JsonStringEnumMemberName("SUCCEEDED")] Succeeded,
    /// <summary>Finished with an error.</summary>
    [JsonStringEnumMemberName("FAILED")] Failed,
    /// <summary>Cancelled.</summary>
    [JsonStringEnumMemberName("CANCELLED")] Cancelled,
    /// <summary>Timed out.</summary>
    [JsonStringEnumMemberName("TIMED_OUT")] TimedOut,
    /// <summary>Stopped.</summary>
    [JsonStringEnumMemberName("STOPPED")] Stopped,
}

/// <summary>The action of a checkpoint update.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OperationAction>))]
public enum OperationAction
{
    /// <summary>Start the operation.</summary>
    [JsonStringEnumMemberName("START")] Start,
    /// <summary>Finish it successfully.</summary>
    [JsonStringEnumMemberName("SUCCEED")] Succeed,
    /// <summary>Finish it with an error.</summary>
    [JsonStringEnumMemberName("FAIL")] Fail,
    /// <summary>Schedule another attempt of a step.</summary>
    [JsonStringEnumMemberName("RETRY")] Retry,
    /// <summary>Cancel a wait or invoke.</summary>
    [JsonStringEnumMemberName("CANCEL")] Cancel,
}

/// <summary>The outcome an invocation reports.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<InvocationStatus>))]
public enum InvocationStatus
{
    /// <summary>The handler returned.</summary>
    [JsonStringEnumMemberName("SUCCEEDED")] Succeeded,
    /// <summary>The handler threw.</summary>
    [JsonStringEnumMemberName("FAILED")] Failed,
    /// <summary>The handler is suspended waiting for something.</summary>
    [JsonStringEnumMemberName("PENDING")] Pending,
}

/// <summary>The status of a durable execution.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExecutionStatus>))]
public enum ExecutionStatus
{
    /// <summary>Open.</summary>
    [JsonStringEnumMemberName("RUNNING")] Running,
    /// <summary>Closed with a result.</summary>
    [JsonStringEnumMemberName("SUCCEEDED")] Succeeded,
    /// <summary>Closed with an error.</summary>
    [JsonStringEnumMemberName("FAILED")] Failed,
    /// <summary>Closed by its execution timeout.</summary>
    [JsonStringEnumMemberName("TIMED_OUT")] TimedOut,
    /// <summary>Closed by a stop request.</summary>
    [JsonStringEnumMemberName("STOPPED")] Stopped,
}
