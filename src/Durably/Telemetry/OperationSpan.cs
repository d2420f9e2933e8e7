using System.Diagnostics;
using Durably.Protocol;

namespace Durably.Telemetry;

/// <summary>
/// The span of one operation in each enabled view, and the spans of its attempts.
/// Invocation view: a live span under the <c>Invocation</c> span (or the parent operation's span),
/// linked to <c>Workflow</c>; an operation still open when the invocation ends closes with status
/// STARTED, and the invocation that sees it end opens another.
/// Execution view: one span per operation, emitted by the invocation that sees it end, from the
/// operation's recorded start, under <c>Workflow</c> (or the parent operation's span) with ids
/// derived from the ARN and operation id, linked to the <c>Invocation</c> span that ended it.
/// </summary>
internal sealed class OperationSpan
{
    private readonly InvocationTracer _tracer;
    private readonly string _name;
    private readonly KeyValuePair<string, object?>[] _tags;
    private readonly Activity? _invocationView;
    private readonly ActivityContext _executionView;
    private readonly ActivityContext _executionParent;
    private readonly DateTimeOffset _executionStart;
    private int _ended;

    public OperationSpan(InvocationTracer tracer, OperationSpan? parent, string id, DateTimeOffset? recordedStart, string name,
        KeyValuePair<string, object?>[] tags)
    {
        _tracer = tracer;
        _name = name;
        _tags = tags;
        if (tracer.Views.HasFlag(DurableTraceViews.Invocation))
        {
            _invocationView = Start(name, tags, parent?._invocationView?.Context ?? tracer.InvocationSpan?.Context ?? default, tracer.Workflow);
        }

        if (tracer.Views.HasFlag(DurableTraceViews.Execution))
        {
            _executionView = SpanIds.Operation(tracer.Arn, id);
            _executionParent = parent?._executionView is { } parentView && parentView != default ? parentView : tracer.Workflow;
            _executionStart = recordedStart ?? TimeProvider.System.GetUtcNow();
        }
    }

    /// <summary>
    /// The W3C <c>traceparent</c> of this operation's span (the invocation view's when it is on, else the execution
    /// view's derived one), which a chained invoke hands to the execution it starts.
    /// </summary>
    public string? TraceParent => _invocationView?.Id
        ?? (_executionView == default ? null : $"00-{_executionView.TraceId.ToHexString()}-{_executionView.SpanId.ToHexString()}-01");

    /// <summary>Starts the spans of attempt <paramref name="number"/>; end them with <see cref="EndAttempt"/>.</summary>
    public (Activity? InvocationView, Activity? ExecutionView) StartAttempt(int number)
    {
        KeyValuePair<string, object?>[] tags = [.. _tags, new(Attributes.AttemptNumber, number)];
        string name = $"{_name} attempt {number}";
        return (_invocationView is null ? null : Start(name, tags, _invocationView.Context, _tracer.Workflow),
            _executionView == default ? null : Start(name, tags, _executionView, InvocationContext));
    }

    /// <summary>Ends an attempt's spans with its outcome (SUCCEEDED or FAILED).</summary>
    public static void EndAttempt((Activity? InvocationView, Activity? ExecutionView) attempt, bool succeeded)
    {
        foreach (Activity? span in new[] { attempt.InvocationView, attempt.ExecutionView })
        {
            span?.SetTag(Attributes.AttemptOutcome, succeeded ? "SUCCEEDED" : "FAILED");
            span?.SetStatus(succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
            span?.Stop();
        }
    }

    /// <summary>Ends the span once with the operation's status (STARTED: still open when the invocation ended).</summary>
    public void End(OperationStatus status, int? attempt = null)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1)
        {
            return;
        }

        _tracer.Closed(this);
        ActivityStatusCode code = status switch
        {
            OperationStatus.Succeeded => ActivityStatusCode.Ok,
            OperationStatus.Started => ActivityStatusCode.Unset,
            _ => ActivityStatusCode.Error,
        };
        KeyValuePair<string, object?>[] ending = status == OperationStatus.Started
            ? [new(Attributes.OperationStatus, InvocationTracer.Text(status))]
            : [new(Attributes.OperationStatus, InvocationTracer.Text(status)), new(Attributes.AttemptNumber, attempt)];
        if (_invocationView is not null)
        {
            foreach (KeyValuePair<string, object?> tag in ending)
            {
                _invocationView.SetTag(tag.Key, tag.Value);
            }

            _invocationView.SetStatus(code);
            _invocationView.Stop();
        }

        if (_executionView != default && status != OperationStatus.Started)
        {
            Detached.Emit(_name, _executionView, _executionParent, InvocationContext, _executionStart, [.. _tags, .. ending], code);
        }
    }

    private ActivityContext InvocationContext => _tracer.InvocationSpan?.Context ?? default;

    private static Activity? Start(string name, KeyValuePair<string, object?>[] tags, ActivityContext parent, ActivityContext link) =>
        DurablyTelemetry.Source.StartActivity(name, ActivityKind.Internal, parent, tags,
            link == default ? null : [new ActivityLink(link)]);
}
