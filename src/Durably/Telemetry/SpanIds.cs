using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Durably.Telemetry;

/// <summary>
/// Span ids derived from the execution ARN (and an operation id), so that spans made in different
/// invocations and processes name the same <c>Workflow</c> and operation spans as parents and links.
/// </summary>
internal static class SpanIds
{
    // Activity offers no public way to choose its own ids; these private fields hold them once it
    // has started. If a runtime renames them, the span keeps its random ids.
    private static readonly FieldInfo? TraceIdField = typeof(Activity).GetField("_traceId", BindingFlags.Instance | BindingFlags.NonPublic);
    private static readonly FieldInfo? SpanIdField = typeof(Activity).GetField("_spanId", BindingFlags.Instance | BindingFlags.NonPublic);
    private static readonly FieldInfo? IdField = typeof(Activity).GetField("_id", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>The context of the execution's <c>Workflow</c> span: trace id and span id from the ARN.</summary>
    public static ActivityContext Workflow(string arn) => Derive(arn, operationId: null);

    /// <summary>The context of an operation's span in the execution view.</summary>
    public static ActivityContext Operation(string arn, string operationId) => Derive(arn, operationId);

    /// <summary>Gives a started <paramref name="activity"/> the ids of <paramref name="context"/>.</summary>
    public static void Assign(Activity activity, ActivityContext context)
    {
        string traceId = context.TraceId.ToHexString();
        string spanId = context.SpanId.ToHexString();
        TraceIdField?.SetValue(activity, traceId);
        SpanIdField?.SetValue(activity, spanId);
        IdField?.SetValue(activity, $"00-{traceId}-{spanId}-01");
    }

    private static ActivityContext Derive(string arn, string? operationId)
    {
        byte[] traceHash = SHA256.HashData(Encoding.UTF8.GetBytes(arn));
        byte[] spanHash = operationId is null ? traceHash : SHA256.HashData(Encoding.UTF8.GetBytes(arn + "\n" + operationId));
        return new ActivityContext(ActivityTraceId.CreateFromBytes(traceHash.AsSpan(0, 16)), ActivitySpanId.CreateFromBytes(spanHash.AsSpan(16, 8)),
            ActivityTraceFlags.Recorded);
    }
}
