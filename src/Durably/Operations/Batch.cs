using Durably.Protocol;

namespace Durably;

internal sealed partial class DurableContext
{
    public Task<IBatchResult<T>> ParallelAsync<T>(IReadOnlyList<Func<IDurableContext, CancellationToken, Task<T>>> branches, string? name = null,
        ParallelConfig? config = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(branches);
        return ParallelAsync(branches.Select(b => new DurableBranch<T>(null, b)).ToList(), name, config, cancellationToken);
    }

    public Task<IBatchResult<T>> ParallelAsync<T>(IReadOnlyList<DurableBranch<T>> branches, string? name = null, ParallelConfig? config = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(branches);
        config ??= new ParallelConfig();
        foreach (DurableBranch<T> branch in branches)
        {
            ArgumentNullException.ThrowIfNull(branch?.Func, nameof(branches));
            ValidateName(branch.Name, nameof(branches));
        }

        var batch = new BatchSpec(name, "Parallel", "ParallelBranch", config.MaxConcurrency, config.CompletionConfig, config.NestingType);
        return RunBatchAsync(batch, branches.Count, i => branches[i].Name, Linked<IDurableContext, int, T>((context, i, token) => branches[i].Func(context, token), cancellationToken),
            config.ItemSerializer ?? _invocation.Serializer, config.Serializer ?? _invocation.Serializer, cancellationToken);
    }

    public Task<IBatchResult<TResult>> MapAsync<TItem, TResult>(IReadOnlyList<TItem> items,
        Func<IDurableContext, TItem, int, IReadOnlyList<TItem>, CancellationToken, Task<TResult>> func,
        string? name = null, MapConfig<TItem>? config = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return MapAsync<TItem, TResult>(items, (context, item, index, token) => func(context, item, index, items, token), name, config, cancellationToken);
    }

    public Task<IBatchResult<TResult>> MapAsync<TItem, TResult>(IReadOnlyList<TItem> items, Func<IDurableContext, TItem, int, CancellationToken, Task<TResult>> func,
        string? name = null, MapConfig<TItem>? config = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(func);
        config ??= new MapConfig<TItem>();
        string?[] names = items.Select((item, i) => config.ItemNamer?.Invoke(item, i)).ToArray();
        foreach (string? itemName in names)
        {
            ValidateName(itemName, nameof(config.ItemNamer));
        }

        var batch = new BatchSpec(name, "Map", "MapIteration", config.MaxConcurrency, config.CompletionConfig, config.NestingType);
        return RunBatchAsync(batch, items.Count, i => names[i], Linked<IDurableContext, int, TResult>((context, i, token) => func(context, items[i], i, token), cancellationToken),
            config.ItemSerializer ?? _invocation.Serializer, config.Serializer ?? _invocation.Serializer, cancellationToken);
    }

    private sealed record BatchSpec(string? Name, string SubType, string ItemSubType, int? MaxConcurrency, CompletionConfig Completion, NestingType Nesting);

    private Task<IBatchResult<T>> RunBatchAsync<T>(BatchSpec spec, int count, Func<int, string?> itemName,
        Func<IDurableContext, int, CancellationToken, Task<T>> run, IDurableSerializer itemSerializer, IDurableSerializer batchSerializer,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Observe(RunBatchAsync(spec, count, itemName, run, itemSerializer, batchSerializer), cancellationToken);
    }

    private async Task<IBatchResult<T>> RunBatchAsync<T>(BatchSpec spec, int count, Func<int, string?> itemName,
        Func<IDurableContext, int, CancellationToken, Task<T>> run, IDurableSerializer itemSerializer, IDurableSerializer batchSerializer)
    {
        if (spec.MaxConcurrency is < 1)
        {
            #pragma warning disable CA2208 // The argument at fault is a property of the config parameter; the name says which.
            throw new ArgumentOutOfRangeException("config.MaxConcurrency", spec.MaxConcurrency, "MaxConcurrency must be at least 1, or null for unlimited.");
#pragma warning restore CA2208
        }

        BatchCompletion.Validate(spec.Completion);
        ValidateName(spec.Name);

        BatchResult<T> result = await RunChildAsync<BatchResult<T>>(spec.Name, spec.SubType, batchSerializer,
            (batchContext, _) => ((DurableContext)batchContext).RunItemsAsync(spec, count, itemName, run, itemSerializer),
            static (error, original) => new ChildContextException(error, original)).ConfigureAwait(false);
        return result;
    }

    /// <summary>Runs the items of a batch in this (the batch's) context, starting them in index order.</summary>
    private Task<BatchResult<T>> RunItemsAsync<T>(BatchSpec spec, int count, Func<int, string?> itemName,
        Func<IDurableContext, int, CancellationToken, Task<T>> run, IDurableSerializer itemSerializer)
    {
        var state = new BatchState<T>(count, spec.MaxConcurrency ?? int.MaxValue, spec.Completion);
        if (count == 0)
        {
            return Task.FromResult(new BatchResult<T>([], CompletionReason.AllCompleted));
        }

        StartItems(state, spec, itemName, run, itemSerializer);
        return state.Completed.Task;
    }

    private void StartItems<T>(BatchState<T> state, BatchSpec spec, Func<int, string?> itemName,
        Func<IDurableContext, int, CancellationToken, Task<T>> run, IDurableSerializer itemSerializer)
    {
        while (state.TryTakeNext(out int index))
        {
            _ = RunItemAsync(state, spec, index, itemName, run, itemSerializer, () => StartItems(state, spec, itemName, run, itemSerializer));
        }
    }

    private async Task RunItemAsync<T>(BatchState<T> state, BatchSpec spec, int index, Func<int, string?> itemName,
        Func<IDurableContext, int, CancellationToken, Task<T>> run, IDurableSerializer itemSerializer, Action startMore)
    {
        string? name = itemName(index);
        BatchItem<T> outcome;
        try
        {
            T value = spec.Nesting == NestingType.Nested
                ? await RunChildAsync(name, spec.ItemSubType, itemSerializer, (child, cancellationToken) => run(child, index, cancellationToken),
                    static (error, original) => new ChildContextException(error, original),
                    sequence: index + 1, onChildCreated: child => state.Register(index, child)).ConfigureAwait(false)
                : await RunFlatItemAsync(state, index, run, itemSerializer).ConfigureAwait(false);
            outcome = new BatchItem<T>(index, name, BatchItemStatus.Succeeded, value, null);
        }
        catch (Exception exception) when (!IsFatal(exception))
        {
            outcome = new BatchItem<T>(index, name, BatchItemStatus.Failed, default, ToError(exception));
        }
        catch (Exception)
        {
            return; // the invocation is ending; nothing more is recorded
        }

        if (state.Finish(outcome, out IReadOnlyList<DurableContext> abandoned))
        {
            foreach (DurableContext context in abandoned)
            {
                context.Abandon();
            }

            state.Completed.TrySetResult(state.BuildResult(itemName));
            return;
        }

        startMore();
    }

    /// <summary>A flat item has no CONTEXT of its own: its operations are parented to the batch, ids still under the item's number.</summary>
    private async Task<T> RunFlatItemAsync<T>(BatchState<T> state, int index,
        Func<IDurableContext, int, CancellationToken, Task<T>> run, IDurableSerializer itemSerializer)
    {
        string virtualId = Replay.OperationIds.For(_idPrefix, index + 1);
        DurableContext item = CreateChild(virtualId, _parentIdForOperations!, _span);
        state.Register(index, item);
        T value = await run(item, index, _invocation.CancellationToken).ConfigureAwait(false);
        return itemSerializer.Deserialize<T>(itemSerializer.Serialize(value))!;
    }
}
