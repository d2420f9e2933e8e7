using Durably.Protocol;

namespace Durably.Testing;

/// <summary>The state of an execution at the end of a test run: status, result, operations and history.</summary>
/// <typeparam name="T">The workflow's output type.</typeparam>
public sealed class TestResult<T>
{
    internal TestResult(DurableExecutionDescription execution, T? result, IReadOnlyList<TestOperation> operations, IReadOnlyList<HistoryEvent> history)
    {
        Execution = execution;
        Result = result;
        Operations = operations;
        History = history;
    }

    /// <summary>The execution as GetDurableExecution describes it.</summary>
    public DurableExecutionDescription Execution { get; }

    /// <summary>The execution's status.</summary>
    public ExecutionStatus Status => Execution.Status;

    /// <summary>True when it succeeded.</summary>
    public bool IsSucceeded => Status == ExecutionStatus.Succeeded;

    /// <summary>True when it failed.</summary>
    public bool IsFailed => Status == ExecutionStatus.Failed;

    /// <summary>The result, when it succeeded.</summary>
    public T? Result { get; }

    /// <summary>The error, when it failed, timed out or was stopped.</summary>
    public ErrorObject? Error => Execution.Error;

    /// <summary>The execution ARN.</summary>
    public string DurableExecutionArn => Execution.DurableExecutionArn;

    /// <summary>How many invocations ran (one <c>InvocationCompleted</c> event each).</summary>
    public int InvocationCount => History.Count(e => e.EventType == HistoryEventTypes.InvocationCompleted);

    /// <summary>Every operation but the EXECUTION one (children of closed contexts included), in start order.</summary>
    public IReadOnlyList<TestOperation> Operations { get; }

    /// <summary>The history events.</summary>
    public IReadOnlyList<HistoryEvent> History { get; }

    /// <summary>Every operation, as AWS's testing package calls them: the same list as <see cref="Operations"/>.</summary>
    public IReadOnlyList<TestOperation> Steps => Operations;

    /// <summary>The first operation with that name, of any type.</summary>
    /// <exception cref="InvalidOperationException">No operation has that name.</exception>
    public TestOperation GetStep(string name) =>
        FindStep(name) ?? throw new InvalidOperationException($"No operation named '{name}'. Operations: {string.Join(", ", Operations)}");

    /// <summary>The first operation with that name, of any type, or null.</summary>
    public TestOperation? FindStep(string name) => Operations.FirstOrDefault(operation => operation.Name == name);

    /// <summary>Every operation with that name.</summary>
    public IReadOnlyList<TestOperation> GetOperations(string name) => [.. Operations.Where(operation => operation.Name == name)];

    /// <summary>Every operation with that name (AWS's name for <see cref="GetOperations"/>).</summary>
    public IReadOnlyList<TestOperation> GetSteps(string name) => GetOperations(name);

    /// <summary>The operation with that id.</summary>
    /// <exception cref="InvalidOperationException">No operation has that id.</exception>
    public TestOperation GetStepById(string operationId) =>
        Operations.FirstOrDefault(operation => operation.Id == operationId)
        ?? throw new InvalidOperationException($"No operation with id '{operationId}'.");

    /// <summary>Every operation in that status.</summary>
    public IReadOnlyList<TestOperation> GetStepsByStatus(OperationStatus status) => [.. Operations.Where(operation => operation.Status == status)];

    /// <summary>Every operation in that status, given by its wire name (<c>SUCCEEDED</c>, <c>FAILED</c>, …) as AWS's testing package takes it.</summary>
    /// <exception cref="ArgumentException">Not a status name.</exception>
    public IReadOnlyList<TestOperation> GetStepsByStatus(string status) =>
        GetStepsByStatus(Enum.GetValues<OperationStatus>().FirstOrDefault(value => System.Text.Json.JsonNamingPolicy.SnakeCaseUpper.ConvertName(value.ToString()) == status,
            (OperationStatus)(-1)) is { } parsed && Enum.IsDefined(parsed)
            ? parsed
            : throw new ArgumentException($"'{status}' is not an operation status; use one of {string.Join(", ", Enum.GetValues<OperationStatus>().Select(v => System.Text.Json.JsonNamingPolicy.SnakeCaseUpper.ConvertName(v.ToString())))}.", nameof(status)));

    /// <summary>The operations directly under <paramref name="parent"/>.</summary>
    public IReadOnlyList<TestOperation> GetChildren(TestOperation parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        return parent.Children;
    }

    /// <summary>Throws unless the execution succeeded; returns this result.</summary>
    /// <exception cref="DurableExecutionFailedException">It did not succeed.</exception>
    public TestResult<T> EnsureSucceeded() =>
        IsSucceeded ? this : throw new DurableExecutionFailedException(DurableExecutionArn, Status, Error);
}
