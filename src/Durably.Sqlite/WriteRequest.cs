namespace Durably.Sqlite;

/// <summary>One queued write: applied inside the writer's transaction, completed only after that transaction committed.</summary>
internal abstract class WriteRequest
{
    /// <summary>Runs the write; what it decides (created, committed) is kept until <see cref="Complete"/>.</summary>
    public abstract void Apply(ChangeWriter writer);

    /// <summary>The commit is durable: hand the result to the caller.</summary>
    public abstract void Complete();

    /// <summary>The write (or its batch's commit) failed.</summary>
    public abstract void Fail(Exception exception);
}

/// <summary>A write with a result of type <typeparamref name="T"/>.</summary>
internal sealed class WriteRequest<T>(Func<ChangeWriter, T> write) : WriteRequest
{
    // Continuations run on the thread pool, never on the writer thread.
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public Task<T> Task => _completion.Task;

    public override void Apply(ChangeWriter writer) => _result = write(writer);

    public override void Complete() => _completion.TrySetResult(_result!);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);
}
