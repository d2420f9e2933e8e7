using System.Diagnostics;

namespace Durably.Telemetry;

/// <summary>
/// The execution's <c>Workflow</c> span: the one root of its trace, emitted when the execution
/// ends, with the ids of <see cref="SpanIds.Workflow"/>.
/// </summary>
internal static class WorkflowSpan
{
    /// <summary>Emits the Workflow span from the execution's start until now.</summary>
    public static void Emit(string arn, string executionStatus, DateTimeOffset? executionStart) =>
        Detached.Emit("Workflow", SpanIds.Workflow(arn), parent: default, link: default, executionStart,
            [new(Attributes.ExecutionArn, arn), new(Attributes.ExecutionStatus, executionStatus)],
            executionStatus == "SUCCEEDED" ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
}
