using System.Text.Json.Serialization;
using Durably.Protocol;

namespace Durably;

/// <summary>Status of one parallel branch or map item.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BatchItemStatus>))]
public enum BatchItemStatus
{
    /// <summary>Finished with a result.</summary>
    Succeeded,
    /// <summary>Finished with an error.</summary>
    Failed,
    /// <summary>Still running when the batch completed.</summary>
    Started,
}

/// <summary>Status of a whole batch.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BatchStatus>))]
public enum BatchStatus
{
    /// <summary>No item failed.</summary>
    Succeeded,
    /// <summary>At least one item failed.</summary>
    Failed,
}

/// <summary>Why a batch completed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CompletionReason>))]
public enum CompletionReason
{
    /// <summary>Every item finished.</summary>
    AllCompleted,
    /// <summary>Enough items succeeded.</summary>
    MinSuccessfulReached,
    /// <summary>Too many items failed.</summary>
    FailureToleranceExceeded,
}

/// <summary>One item of a batch result.</summary>
public interface IBatchItem<T>
{
    /// <summary>Index in the input.</summary>
    int Index { get; }

    /// <summary>Name of the branch or item.</summary>
    string? Name { get; }

    /// <summary>Outcome.</summary>
    BatchItemStatus Status { get; }

    /// <summary>Result when succeeded.</summary>
    T? Result { get; }

    /// <summary>Error when failed.</summary>
    ErrorObject? Error { get; }
}

/// <summary>The counts of a parallel or map result, whatever its item type (AWS's non-generic view).</summary>
public interface IBatchResult
{
    /// <summary>Why the batch completed.</summary>
    CompletionReason CompletionReason { get; }

    /// <summary>True when any item failed.</summary>
    bool HasFailure { get; }

    /// <summary>Number of succeeded items.</summary>
    int SuccessCount { get; }

    /// <summary>Number of failed items.</summary>
    int FailureCount { get; }

    /// <summary>Number of items still running when the batch completed.</summary>
    int StartedCount { get; }

    /// <summary>Number of started items (finished or not).</summary>
    int TotalCount { get; }
}

/// <summary>The result of a parallel or map.</summary>
public interface IBatchResult<T> : IBatchResult
{
    /// <summary>Started items only, in input order.</summary>
    IReadOnlyList<IBatchItem<T>> All { get; }

    /// <summary>Failed when any item failed.</summary>
    BatchStatus Status { get; }

    /// <summary>Succeeded items, input order.</summary>
    IReadOnlyList<IBatchItem<T>> Succeeded { get; }

    /// <summary>Failed items, input order.</summary>
    IReadOnlyList<IBatchItem<T>> Failed { get; }

    /// <summary>Items still running when the batch completed (status <see cref="BatchItemStatus.Started"/>), input order.</summary>
    IReadOnlyList<IBatchItem<T>> Started { get; }

    /// <summary>Results of succeeded items, input order.</summary>
    IReadOnlyList<T> GetResults();

    /// <summary>
    /// Errors of failed items, input order, as exceptions (AWS's shape): a <see cref="ChildContextException"/> each,
    /// whose <see cref="DurableExecutionException.Error"/> is the item's recorded error.
    /// </summary>
    IReadOnlyList<DurableExecutionException> GetErrors();

    /// <summary>Throws <see cref="ChildContextException"/> built from the first failed item's error.</summary>
    void ThrowIfError();
}

/// <summary>One item of a batch result.</summary>
public sealed record BatchItem<T>(int Index, string? Name, BatchItemStatus Status, T? Result, ErrorObject? Error) : IBatchItem<T>;

/// <summary>The result of a parallel or map.</summary>
public sealed class BatchResult<T> : IBatchResult<T>
{
    private readonly IReadOnlyList<BatchItem<T>> _all;

    /// <summary>Creates a result from its started items, in input order.</summary>
    [JsonConstructor]
    public BatchResult(IReadOnlyList<BatchItem<T>> all, CompletionReason completionReason)
    {
        ArgumentNullException.ThrowIfNull(all);
        _all = all;
        CompletionReason = completionReason;
    }

    /// <inheritdoc />
    [JsonIgnore]
    IReadOnlyList<IBatchItem<T>> IBatchResult<T>.All => _all;

    /// <summary>Started items, in input order.</summary>
    public IReadOnlyList<BatchItem<T>> All => _all;

    /// <inheritdoc />
    public BatchStatus Status => HasFailure ? BatchStatus.Failed : BatchStatus.Succeeded;

    /// <inheritdoc />
    public CompletionReason CompletionReason { get; }

    /// <inheritdoc />
    [JsonIgnore]
    public IReadOnlyList<IBatchItem<T>> Succeeded => _all.Where(i => i.Status == BatchItemStatus.Succeeded).ToList();

    /// <inheritdoc />
    [JsonIgnore]
    public IReadOnlyList<IBatchItem<T>> Failed => _all.Where(i => i.Status == BatchItemStatus.Failed).ToList();

    /// <inheritdoc />
    [JsonIgnore]
    public IReadOnlyList<IBatchItem<T>> Started => _all.Where(i => i.Status == BatchItemStatus.Started).ToList();

    /// <inheritdoc />
    [JsonIgnore]
    public int StartedCount => _all.Count(i => i.Status == BatchItemStatus.Started);

    /// <inheritdoc />
    [JsonIgnore]
    public bool HasFailure => FailureCount > 0;

    /// <inheritdoc />
    public int SuccessCount => _all.Count(i => i.Status == BatchItemStatus.Succeeded);

    /// <inheritdoc />
    public int FailureCount => _all.Count(i => i.Status == BatchItemStatus.Failed);

    /// <inheritdoc />
    public int TotalCount => _all.Count;

    /// <inheritdoc />
    public IReadOnlyList<T> GetResults() =>
        _all.Where(i => i.Status == BatchItemStatus.Succeeded).Select(i => i.Result!).ToList();

    /// <inheritdoc />
    public IReadOnlyList<DurableExecutionException> GetErrors() =>
        _all.Where(i => i.Status == BatchItemStatus.Failed).Select(ErrorOf).ToList();

    /// <inheritdoc />
    public void ThrowIfError()
    {
        BatchItem<T>? failed = _all.FirstOrDefault(i => i.Status == BatchItemStatus.Failed);
        if (failed is not null)
        {
            throw ErrorOf(failed);
        }
    }

    private static ChildContextException ErrorOf(BatchItem<T> failed) =>
        new(failed.Error ?? new ErrorObject { ErrorMessage = $"Item {failed.Index} failed." });
}
