using Durably.Protocol;

namespace Durably.Testing;

/// <summary>One operation of a test run, for assertions.</summary>
public sealed class TestOperation
{
    private readonly IDurableSerializer _serializer;
    private readonly List<TestOperation> _children = [];

    internal TestOperation(Operation operation, IDurableSerializer serializer)
    {
        Operation = operation;
        _serializer = serializer;
    }

    /// <summary>The wire record.</summary>
    public Operation Operation { get; }

    /// <summary>Operation id.</summary>
    public string Id => Operation.Id;

    /// <summary>Enclosing context's id.</summary>
    public string? ParentId => Operation.ParentId;

    /// <summary>Name.</summary>
    public string? Name => Operation.Name;

    /// <summary>Type.</summary>
    public OperationType Type => Operation.Type;

    /// <summary>Sub-type.</summary>
    public string? SubType => Operation.SubType;

    /// <summary>Status.</summary>
    public OperationStatus Status => Operation.Status;

    /// <summary>STEP: finished attempts.</summary>
    public int? Attempt => Operation.StepDetails?.Attempt;

    /// <summary>When it started.</summary>
    public DateTimeOffset? StartTimestamp => Operation.StartTimestamp;

    /// <summary>When it ended.</summary>
    public DateTimeOffset? EndTimestamp => Operation.EndTimestamp;

    /// <summary>Operations whose parent this is, in start order.</summary>
    public IReadOnlyList<TestOperation> Children => _children;

    /// <summary>The recorded error (step, context, callback or invoke).</summary>
    public ErrorObject? Error => Operation.StepDetails?.Error ?? Operation.ContextDetails?.Error
        ?? Operation.CallbackDetails?.Error ?? Operation.ChainedInvokeDetails?.Error;

    /// <summary>WAIT: the requested duration in seconds.</summary>
    public int? WaitSeconds => Operation.WaitDetails?.ScheduledEndTimestamp is { } end && Operation.StartTimestamp is { } start
        ? (int)Math.Round((end - start).TotalSeconds)
        : null;

    /// <summary>CALLBACK: the id to answer it with.</summary>
    public string? CallbackId => Operation.CallbackDetails?.CallbackId;

    /// <summary>The raw recorded result payload.</summary>
    public string? ResultPayload => Operation.StepDetails?.Result ?? Operation.ContextDetails?.Result
        ?? Operation.CallbackDetails?.Result ?? Operation.ChainedInvokeDetails?.Result ?? Operation.ExecutionDetails?.InputPayload;

    /// <summary>The recorded result, deserialized.</summary>
    public T? GetResult<T>() => _serializer.Deserialize<T>(ResultPayload);

    internal void AddChild(TestOperation child) => _children.Add(child);

    /// <inheritdoc />
    public override string ToString() => $"{Type} {Name ?? Id} {Status}";
}
