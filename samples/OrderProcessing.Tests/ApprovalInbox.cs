using System.Threading.Channels;

namespace OrderProcessing.Tests;

/// <summary>An approval system that queues requests for whoever answers them (the demo's approver, a test).</summary>
public sealed class ApprovalInbox : IApprovalSystem
{
    private readonly Channel<ApprovalRequest> _requests = Channel.CreateUnbounded<ApprovalRequest>();

    public Task RequestApprovalAsync(OrderEvent order, string callbackId, CancellationToken cancellationToken) =>
        _requests.Writer.WriteAsync(new ApprovalRequest(order, callbackId), cancellationToken).AsTask();

    /// <summary>The next request, in arrival order.</summary>
    public ValueTask<ApprovalRequest> NextAsync(CancellationToken cancellationToken = default) =>
        _requests.Reader.ReadAsync(cancellationToken);

    /// <summary>Every request not yet taken.</summary>
    public IReadOnlyList<ApprovalRequest> Pending()
    {
        var pending = new List<ApprovalRequest>();
        while (_requests.Reader.TryRead(out ApprovalRequest? request))
        {
            pending.Add(request);
        }

        return pending;
    }
}

/// <summary>One request for approval: the order and the callback id to answer.</summary>
public sealed record ApprovalRequest(OrderEvent Order, string CallbackId);
