using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Protocol;

namespace Durably.StoreContract;

/// <summary>
/// The store under test with one hook: once <see cref="Arm"/>ed, the next writes of one execution (creations and
/// commits) are held until as many as the race has contenders have arrived, then all go on together. The race
/// tests so know, rather than hope, that the contenders reached the store at the same time.
/// </summary>
public sealed class RendezvousStore(IExecutionStore store) : IExecutionStore
{
    private Rendezvous? _armed;

    /// <summary>Holds the next <paramref name="contenders"/> writes whose header has <paramref name="durableExecutionArn"/> (or, for a creation, the name <paramref name="executionName"/>).</summary>
    public Rendezvous Arm(int contenders, string? durableExecutionArn = null, string? executionName = null)
    {
        var rendezvous = new Rendezvous(contenders, execution =>
            execution.DurableExecutionArn == durableExecutionArn || execution.ExecutionName == executionName);
        Volatile.Write(ref _armed, rendezvous);
        return rendezvous;
    }

    public async Task<CreateExecutionResult> CreateExecutionAsync(ExecutionChange creation, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await ArriveAsync(creation).ConfigureAwait(false);
        return await store.CreateExecutionAsync(creation, now, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryCommitAsync(ExecutionChange change, CancellationToken cancellationToken = default)
    {
        await ArriveAsync(change).ConfigureAwait(false);
        return await store.TryCommitAsync(change, cancellationToken).ConfigureAwait(false);
    }

    public Task<ExecutionSnapshot?> LoadAsync(string executionId, IReadOnlyCollection<string> operationIds, CancellationToken cancellationToken = default) =>
        store.LoadAsync(executionId, operationIds, cancellationToken);

    public Task<bool> PurgeExecutionAsync(string executionId, long expectedVersion, CancellationToken cancellationToken = default) =>
        store.PurgeExecutionAsync(executionId, expectedVersion, cancellationToken);

    public Task<IReadOnlyList<TimerRecord>> ClaimDueTimersAsync(DueTimerClaim claim, CancellationToken cancellationToken = default) =>
        store.ClaimDueTimersAsync(claim, cancellationToken);

    public Task<CallbackLocation?> FindCallbackAsync(string callbackId, CancellationToken cancellationToken = default) =>
        store.FindCallbackAsync(callbackId, cancellationToken);

    public Task<IReadOnlyList<OperationRecord>> ReadOperationsAsync(string executionId, int afterSequence, int maxItems, CancellationToken cancellationToken = default) =>
        store.ReadOperationsAsync(executionId, afterSequence, maxItems, cancellationToken);

    public Task<IReadOnlyList<HistoryEvent>> ReadHistoryAsync(string executionId, int fromEventId, int maxItems, bool descending, CancellationToken cancellationToken = default) =>
        store.ReadHistoryAsync(executionId, fromEventId, maxItems, descending, cancellationToken);

    public Task<IReadOnlyList<ExecutionRecord>> ListExecutionsAsync(ExecutionQuery query, CancellationToken cancellationToken = default) =>
        store.ListExecutionsAsync(query, cancellationToken);

    public Task<IReadOnlyList<ExecutionCount>> CountExecutionsAsync(string functionName, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        store.CountExecutionsAsync(functionName, now, cancellationToken);

    public Task<IReadOnlyList<TimerRecord>> GetDueTimersAsync(DateTimeOffset now, int maxItems, CancellationToken cancellationToken = default) =>
        store.GetDueTimersAsync(now, maxItems, cancellationToken);

    public Task<DateTimeOffset?> GetNextDueTimeAsync(CancellationToken cancellationToken = default) => store.GetNextDueTimeAsync(cancellationToken);

    public Task<int> ExpireInvocationLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        store.ExpireInvocationLeasesAsync(now, cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> ReadOutboxAsync(long afterPosition, int maxItems, CancellationToken cancellationToken = default) =>
        store.ReadOutboxAsync(afterPosition, maxItems, cancellationToken);

    public Task<long> GetOutboxEndAsync(CancellationToken cancellationToken = default) => store.GetOutboxEndAsync(cancellationToken);

    public Task<long> GetOutboxCursorAsync(string consumer, CancellationToken cancellationToken = default) =>
        store.GetOutboxCursorAsync(consumer, cancellationToken);

    public Task SetOutboxCursorAsync(string consumer, long position, CancellationToken cancellationToken = default) =>
        store.SetOutboxCursorAsync(consumer, position, cancellationToken);

    public Task AddDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken = default) =>
        store.AddDeadLetterAsync(deadLetter, cancellationToken);

    public Task<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync(string consumer, int maxItems, CancellationToken cancellationToken = default) =>
        store.ReadDeadLettersAsync(consumer, maxItems, cancellationToken);

    public Task<bool> RemoveDeadLetterAsync(string consumer, long position, CancellationToken cancellationToken = default) =>
        store.RemoveDeadLetterAsync(consumer, position, cancellationToken);

    private Task ArriveAsync(ExecutionChange change) => Volatile.Read(ref _armed)?.ArriveAsync(change.Execution) ?? Task.CompletedTask;
}

/// <summary>A meeting point for the first <c>contenders</c> matching writes; later ones pass at once.</summary>
public sealed class Rendezvous(int contenders, Func<ExecutionRecord, bool> matches)
{
    /// <summary>How long a contender waits for the others before it goes on alone (the test then fails on <see cref="AllArrived"/>).</summary>
    private static readonly TimeSpan HoldAtMost = TimeSpan.FromSeconds(10);

    private readonly TaskCompletionSource _allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    /// <summary>Completes when every contender has reached the store; the contenders are then released together.</summary>
    public Task AllArrived => _allArrived.Task;

    /// <summary>Waits (bounded) until all contenders arrived, failing with a message that says how many did.</summary>
    public async Task WaitAsync()
    {
        try
        {
            await AllArrived.WaitAsync(HoldAtMost).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Only {Volatile.Read(ref _arrived)} of {contenders} contenders reached the store within {HoldAtMost.TotalSeconds} s: the race did not happen.");
        }
    }

    internal async Task ArriveAsync(ExecutionRecord execution)
    {
        if (!matches(execution))
        {
            return;
        }

        int arrived = Interlocked.Increment(ref _arrived);
        if (arrived > contenders)
        {
            return;
        }

        if (arrived == contenders)
        {
            _allArrived.TrySetResult();
        }

        try
        {
            await AllArrived.WaitAsync(HoldAtMost).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Let the lone contender go on; the test reports the race that did not happen.
        }
    }
}
