using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Durably.Protocol;

namespace Durably.Telemetry;

/// <summary>
/// The spans of one invocation in AWS's trace model: the <c>Invocation</c> span, the spans of the
/// operations that run (or are first seen to end) in it, and, when the execution ends, its
/// <c>Workflow</c> span. Created only when someone listens to the <c>Durably</c> source.
/// </summary>
internal sealed class InvocationTracer
{
    private readonly ConcurrentDictionary<OperationSpan, long> _open = new();
    private long _opened;
    private readonly DateTimeOffset _seenByEarlierInvocations;
    private readonly DateTimeOffset? _executionStart;

    private InvocationTracer(string arn, DurableTraceViews views, IReadOnlyList<Operation> operations, Activity? invocation)
    {
        Arn = arn;
        Views = views;
        InvocationSpan = invocation;
        Workflow = SpanIds.Workflow(arn);
        _executionStart = operations.FirstOrDefault(o => o.Type == OperationType.Execution)?.StartTimestamp;
        _seenByEarlierInvocations = operations
            .SelectMany(o => o.Type is OperationType.Step or OperationType.Context ? new[] { o.StartTimestamp, o.EndTimestamp } : [o.StartTimestamp])
            .Max() ?? DateTimeOffset.MinValue;
    }

    public string Arn { get; }

    public DurableTraceViews Views { get; }

    /// <summary>The context of the execution's <c>Workflow</c> span, the same in every invocation.</summary>
    public ActivityContext Workflow { get; }

    public Activity? InvocationSpan { get; }

    /// <summary>Starts tracing an invocation, or returns null when nobody listens or no view is on.</summary>
    public static InvocationTracer? Start(string arn, IReadOnlyList<Operation> operations, DurableTracingOptions options, string? traceParent = null)
    {
        if (options.Views == DurableTraceViews.None || !DurablyTelemetry.Source.HasListeners())
        {
            return null;
        }

        // The first invocation finds nothing but the EXECUTION operation in the log.
        bool first = operations.All(o => o.Type == OperationType.Execution);
        // The ambient trace: the current span, else the caller's traceparent (an HTTP function's request).
        ActivityContext parent = Activity.Current is null && ActivityContext.TryParse(traceParent, traceState: null, isRemote: true, out ActivityContext remote)
            ? remote
            : default;
        Activity? invocation = DurablyTelemetry.Source.StartActivity("Invocation", ActivityKind.Internal, parent,
            tags: [new(Attributes.ExecutionArn, arn), new(Attributes.InvocationFirst, first)]);
        return new InvocationTracer(arn, options.Views, operations, invocation);
    }

    /// <summary>
    /// True when an operation's span belongs to this invocation: it is new or still open, or it
    /// ended service-side (a wait, callback or chained invoke) after every earlier invocation's
    /// last checkpoint. Operations an earlier invocation saw end are replayed without spans.
    /// </summary>
    public bool Traces(Operation? recorded) => recorded is null
        || recorded.Status is OperationStatus.Started or OperationStatus.Pending or OperationStatus.Ready
        || (recorded.Type is OperationType.Wait or OperationType.Callback or OperationType.ChainedInvoke
            && recorded.EndTimestamp >= _seenByEarlierInvocations);

    /// <summary>
    /// Starts the span of an operation under <paramref name="parent"/> (null: the root context). A virtual context's
    /// span has no <c>durable.operation.id</c>: no operation of that id is recorded.
    /// </summary>
    public OperationSpan StartOperation(string id, Operation? recorded, OperationType type, string? subType, string? name, OperationSpan? parent,
        bool virtualContext = false)
    {
        KeyValuePair<string, object?>[] tags =
        [
            new(Attributes.ExecutionArn, Arn),
            new(Attributes.OperationType, Text(type)),
            new(Attributes.OperationSubtype, subType),
            new(Attributes.OperationName, name),
            .. virtualContext ? Array.Empty<KeyValuePair<string, object?>>() : [new(Attributes.OperationId, id)],
        ];
        var span = new OperationSpan(this, parent, id, recorded?.StartTimestamp, name ?? subType ?? Text(type), tags);
        _open.TryAdd(span, Interlocked.Increment(ref _opened));
        return span;
    }

    public void Closed(OperationSpan span) => _open.TryRemove(span, out _);

    /// <summary>Ends the invocation: open operations end STARTED, and a terminal result ends the <c>Workflow</c> span.</summary>
    public void End(InvocationStatus status)
    {
        // Newest first: a child context's operations end before the context, so its span contains theirs.
        foreach (OperationSpan span in _open.OrderByDescending(open => open.Value).Select(open => open.Key))
        {
            span.End(OperationStatus.Started);
        }

        string statusText = Text(status);
        if (InvocationSpan is not null)
        {
            InvocationSpan.SetTag(Attributes.InvocationStatus, statusText);
            InvocationSpan.SetStatus(status == InvocationStatus.Failed ? ActivityStatusCode.Error : ActivityStatusCode.Ok);
            InvocationSpan.Stop();
        }

        if (status != InvocationStatus.Pending)
        {
            WorkflowSpan.Emit(Arn, statusText, _executionStart ?? InvocationSpan?.StartTimeUtc);
        }
    }

    /// <summary>The wire name of an enum value: <c>ChainedInvoke</c> becomes <c>CHAINED_INVOKE</c>.</summary>
    public static string Text<T>(T value) where T : struct, Enum => WireNames<T>.Of[value];

    /// <summary>Each enum's wire names, computed once (spans are made on hot paths).</summary>
    private static class WireNames<T> where T : struct, Enum
    {
        public static readonly Dictionary<T, string> Of = Enum.GetValues<T>().ToDictionary(v => v, v => JsonNamingPolicy.SnakeCaseUpper.ConvertName(v.ToString()));
    }
}
