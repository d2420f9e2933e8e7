using System.Diagnostics;
using Durably.Protocol;

namespace Durably.Telemetry;

/// <summary>
/// The span of one operation in each enabled view, and the spans of its attempts. In the
/// invocation view it hangs under the <c>Invocation</c> span (or its parent operation) and links
/// to <c>Workflow</c>; in the execution view it hangs under <c>Workflow</c> (or its parent
/// operation) and links to the <c>Invocation</c> span.
/// </summary>
internal sealed class OperationSpan
{
    private readonly InvocationTracer _tracer;
    private readonly string _name;
    private readonly KeyValuePair<string, object?>[] _tags;
    private readonly Activity? _invocationView;
    private readonly Activity? _executionView;
    private int _ended;

    public OperationSpan(InvocationTracer tracer, OperationSpan? parent, string name, KeyValuePair<string, object?>[] tags)
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
            _executionView = Start(name, tags, parent?._executionView?.Context ?? tracer.Workflow, tracer.InvocationSpan?.Context ?? default);
        }
    }

    /// <summary>Starts the span of attempt <paramref name="number"/>; end it with <see cref="EndAttempt"/>.</summary>
    public (Activity? InvocationView, Activity? ExecutionView) StartAttempt(int number)
    {
        KeyValuePair<string, object?>[] tags = [.. _tags, new(Attributes.AttemptNumber, number)];
        string name = $"{_name} attempt {number}";
        return (_invocationView is null ? null : Start(name, tags, _invocationView.Context, _tracer.Workflow),
            _executionView is null ? null : Start(name, tags, _executionView.Context, _tracer.InvocationSpan?.Context ?? default));
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
        foreach (Activity? span in new[] { _invocationView, _executionView })
        {
            span?.SetTag(Attributes.OperationStatus, InvocationTracer.Text(status));
            span?.SetTag(Attributes.AttemptNumber, status == OperationStatus.Started ? null : attempt);
            span?.SetStatus(status switch
            {
                OperationStatus.Succeeded => ActivityStatusCode.Ok,
                OperationStatus.Started => ActivityStatusCode.Unset,
                _ => ActivityStatusCode.Error,
            });
            span?.Stop();
        }
    }

    private static Activity? Start(string name, KeyValuePair<string, object?>[] tags, ActivityContext parent, ActivityContext link) =>
        DurablyTelemetry.Source.StartActivity(name, ActivityKind.Internal, parent, tags,
            link == default ? null : [new ActivityLink(link)]);
}
