namespace Durably;

/// <summary>Completion rules of a parallel or map (API.md §1, "Completion rules").</summary>
internal static class BatchCompletion
{
#pragma warning disable CA2208 // The argument at fault is a property of the config parameter; the name says which.
    public static void Validate(CompletionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.MinSuccessful is < 0)
        {
            throw new ArgumentOutOfRangeException("config.CompletionConfig.MinSuccessful", config.MinSuccessful, "MinSuccessful must not be negative.");
        }

        if (config.ToleratedFailureCount is < 0)
        {
            throw new ArgumentOutOfRangeException("config.CompletionConfig.ToleratedFailureCount", config.ToleratedFailureCount, "ToleratedFailureCount must not be negative.");
        }

    }

#pragma warning restore CA2208

    /// <summary>Checked after each item finishes; null while the batch goes on.</summary>
    public static CompletionReason? Evaluate(CompletionConfig config, int total, int finished, int succeeded, int failed)
    {
        bool noLimits = config.MinSuccessful is null && config.ToleratedFailureCount is null && config.ToleratedFailurePercentage is null;
        bool toleranceExceeded = noLimits
            ? failed > 0
            : (config.ToleratedFailureCount is { } count && failed > count)
              || (config.ToleratedFailurePercentage is { } ratio && (double)failed / total > ratio);
        if (toleranceExceeded)
        {
            return CompletionReason.FailureToleranceExceeded;
        }

        if (finished == total)
        {
            return CompletionReason.AllCompleted;
        }

        if (config.MinSuccessful is { } min && succeeded >= min)
        {
            return CompletionReason.MinSuccessfulReached;
        }

        return null;
    }
}

/// <summary>Live state of one batch: which items started, finished, and whether it completed.</summary>
internal sealed class BatchState<T>(int count, int maxConcurrency, CompletionConfig completion)
{
    private readonly BatchItem<T>?[] _outcomes = new BatchItem<T>?[count];
    private readonly DurableContext?[] _contexts = new DurableContext?[count];
    private readonly Lock _lock = new();
    private int _next;
    private int _running;
    private int _finished;
    private int _succeeded;
    private int _failed;
    private CompletionReason? _reason;

    /// <summary>Completes with the batch result; continuations run inline like every other operation.</summary>
    public TaskCompletionSource<BatchResult<T>> Completed { get; } = new();

    public bool TryTakeNext(out int index)
    {
        lock (_lock)
        {
            if (_reason is not null || _next == count || _running >= maxConcurrency)
            {
                index = -1;
                return false;
            }

            index = _next++;
            _running++;
            return true;
        }
    }

    public void Register(int index, DurableContext context)
    {
        lock (_lock)
        {
            _contexts[index] = context;
        }
    }

    /// <summary>Records an item's outcome; true when this completes the batch, with the contexts of items still running.</summary>
    public bool Finish(BatchItem<T> outcome, out IReadOnlyList<DurableContext> abandoned)
    {
        lock (_lock)
        {
            abandoned = [];
            _running--;
            if (_reason is not null)
            {
                return false;
            }

            _outcomes[outcome.Index] = outcome;
            _finished++;
            if (outcome.Status == BatchItemStatus.Succeeded)
            {
                _succeeded++;
            }
            else
            {
                _failed++;
            }

            _reason = BatchCompletion.Evaluate(completion, count, _finished, _succeeded, _failed);
            if (_reason is null)
            {
                return false;
            }

            abandoned = Enumerable.Range(0, _next).Where(i => _outcomes[i] is null && _contexts[i] is not null).Select(i => _contexts[i]!).ToList();
            return true;
        }
    }

    /// <summary>Started items in input order; those still running are <see cref="BatchItemStatus.Started"/>.</summary>
    public BatchResult<T> BuildResult(Func<int, string?> nameOf)
    {
        lock (_lock)
        {
            var all = new List<BatchItem<T>>(_next);
            for (int i = 0; i < _next; i++)
            {
                all.Add(_outcomes[i] ?? new BatchItem<T>(i, nameOf(i), BatchItemStatus.Started, default, null));
            }

            return new BatchResult<T>(all, _reason ?? CompletionReason.AllCompleted);
        }
    }
}
