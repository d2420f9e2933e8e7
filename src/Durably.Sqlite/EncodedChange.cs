using Durably.Engine;
using Durably.Engine.Storage;

namespace Durably.Sqlite;

/// <summary>
/// An <see cref="ExecutionChange"/> with its stored JSON already written as UTF-8, on the caller's thread before the
/// write is queued: the single writer thread then only binds bytes, which keeps serialization off the path every
/// commit waits on.
/// </summary>
internal sealed class EncodedChange
{
    public EncodedChange(ExecutionChange change)
    {
        Change = change;

        // The header leaves out the input (its own column, written once) and the last checkpoint's replay (its own
        // table, written by the checkpoint that sets it).
        Header = StoreJson.WriteUtf8(change.Execution with { InputPayload = null, LastCheckpoint = null }, StoreJson.Execution);
        LastCheckpoint = change.WritesLastCheckpoint && change.Execution.LastCheckpoint is { } replay ? StoreJson.WriteUtf8(replay, StoreJson.Replay) : null;
        Operations = new byte[change.Operations.Count][];
        for (int index = 0; index < Operations.Length; index++)
        {
            Operations[index] = StoreJson.WriteUtf8(change.Operations[index], StoreJson.Operation);
        }

        Events = new byte[change.Events.Count][];
        for (int index = 0; index < Events.Length; index++)
        {
            Events[index] = StoreJson.WriteUtf8(change.Events[index], StoreJson.Event);
        }

        StatusEvents = new byte[change.StatusEvents.Count][];
        for (int index = 0; index < StatusEvents.Length; index++)
        {
            StatusEvents[index] = StoreJson.WriteUtf8(change.StatusEvents[index], StoreJson.StatusEvent);
        }

        CreatedExecutions = [.. change.CreatedExecutions.Select(creation => new EncodedChange(creation))];
    }

    public ExecutionChange Change { get; }

    public byte[] Header { get; }

    /// <summary>The JSON of the replay a checkpoint sets; null when the change sets none (or clears it).</summary>
    public byte[]? LastCheckpoint { get; }

    /// <summary>The JSON of <see cref="ExecutionChange.Operations"/>, index for index.</summary>
    public byte[][] Operations { get; }

    /// <summary>The JSON of <see cref="ExecutionChange.Events"/>, index for index.</summary>
    public byte[][] Events { get; }

    /// <summary>The JSON of <see cref="ExecutionChange.StatusEvents"/>, index for index.</summary>
    public byte[][] StatusEvents { get; }

    /// <summary><see cref="ExecutionChange.CreatedExecutions"/>, encoded, index for index.</summary>
    public EncodedChange[] CreatedExecutions { get; }
}
