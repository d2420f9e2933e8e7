using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Durably.Telemetry;

/// <summary>
/// The execution's <c>Workflow</c> span: the one root of its trace, emitted when the execution
/// ends, with trace and span ids derived from the execution ARN so that spans made earlier, in
/// other invocations and processes, already name it as parent or link.
/// </summary>
internal static class WorkflowSpan
{
    // Activity offers no public way to choose a span id; these private fields hold it (and the
    // trace id) once started. If a runtime renames them, the Workflow span keeps random ids.
    private static readonly FieldInfo? TraceIdField = typeof(Activity).GetField("_traceId", BindingFlags.Instance | BindingFlags.NonPublic);
    private static readonly FieldInfo? SpanIdField = typeof(Activity).GetField("_spanId", BindingFlags.Instance | BindingFlags.NonPublic);
    private static readonly FieldInfo? IdField = typeof(Activity).GetField("_id", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>The deterministic context of the Workflow span of <paramref name="arn"/>.</summary>
    public static ActivityContext ContextFor(string arn)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(arn));
        return new ActivityContext(ActivityTraceId.CreateFromBytes(hash.AsSpan(0, 16)), ActivitySpanId.CreateFromBytes(hash.AsSpan(16, 8)),
            ActivityTraceFlags.Recorded);
    }

    /// <summary>Emits the Workflow span from the execution's start until now.</summary>
    public static void Emit(string arn, string executionStatus, DateTimeOffset? executionStart)
    {
        using Activity? workflow = DurablyTelemetry.Source.CreateActivity("Workflow", ActivityKind.Internal, parentContext: default,
            tags: [new(Attributes.ExecutionArn, arn), new(Attributes.ExecutionStatus, executionStatus)]);
        if (workflow is null)
        {
            return;
        }

        // A root: no ambient parent even when some span is current.
        Activity? ambient = Activity.Current;
        Activity.Current = null;
        if (executionStart is { } start)
        {
            workflow.SetStartTime(start.UtcDateTime);
        }

        workflow.Start();
        ActivityContext ids = ContextFor(arn);
        TraceIdField?.SetValue(workflow, ids.TraceId.ToHexString());
        SpanIdField?.SetValue(workflow, ids.SpanId.ToHexString());
        IdField?.SetValue(workflow, $"00-{ids.TraceId.ToHexString()}-{ids.SpanId.ToHexString()}-01");
        workflow.SetStatus(executionStatus == "SUCCEEDED" ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
        workflow.Stop();
        Activity.Current = ambient;
    }
}
