namespace Durably.Telemetry;

/// <summary>The <c>durable.*</c> span attributes of AWS's trace model.</summary>
internal static class Attributes
{
    public const string ExecutionArn = "durable.execution.arn";
    public const string ExecutionStatus = "durable.execution.status";
    public const string InvocationFirst = "durable.invocation.first";
    public const string InvocationStatus = "durable.invocation.status";
    public const string OperationId = "durable.operation.id";
    public const string OperationType = "durable.operation.type";
    public const string OperationSubtype = "durable.operation.subtype";
    public const string OperationName = "durable.operation.name";
    public const string OperationStatus = "durable.operation.status";
    public const string AttemptNumber = "durable.attempt.number";
    public const string AttemptOutcome = "durable.attempt.outcome";
}
