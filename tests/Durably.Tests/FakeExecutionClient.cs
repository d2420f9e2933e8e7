using Durably.Protocol;

namespace Durably.Tests;

/// <summary>
/// A hand-written stand-in for the service, for SDK tests without the engine: applies updates
/// with the service's basic transitions, records every request, and lets a test fire timers
/// and answer callbacks between invocations.
/// </summary>
internal sealed class FakeExecutionClient : IDurableExecutionClient
{
    public const string Arn = "arn:aws:lambda:local:000000000000:function:f:1/durable-execution/e/exec-1";
    public static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly List<string> _order = [];
    private readonly Dictionary<string, Operation> _operations = [];
    private readonly HashSet<string> _changedSinceDelivery = [];
    private readonly Lock _lock = new();
    private readonly List<(Func<Operation, bool> Match, TaskCompletionSource Seen)> _awaited = [];
    private int _tokenNumber;
    private int _callbackNumber;

    public FakeExecutionClient(string inputPayload)
    {
        Put(new Operation
        {
            Id = "exec-1",
            Type = OperationType.Execution,
            Status = OperationStatus.Started,
            StartTimestamp = Now,
            ExecutionDetails = new ExecutionDetails { InputPayload = inputPayload },
        });
    }

    public List<CheckpointDurableExecutionRequest> Requests { get; } = [];

    public IEnumerable<OperationUpdate> Updates => Requests.SelectMany(r => r.Updates ?? []);

    /// <summary>Called before each checkpoint is applied; a test may delay or fail it.</summary>
    public Func<CheckpointDurableExecutionRequest, Task>? BeforeCheckpoint { get; set; }

    /// <summary>Completes once an operation matching <paramref name="match"/> is stored; fails after 10 s naming <paramref name="what"/>.</summary>
    public async Task WhenOperationAsync(Func<Operation, bool> match, string what)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_operations.Values.Any(match))
            {
                seen.TrySetResult();
            }
            else
            {
                _awaited.Add((match, seen));
            }
        }

        try
        {
            await seen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No checkpoint stored {what} within 10 s.");
        }
    }

    public IReadOnlyList<Operation> Operations
    {
        get
        {
            lock (_lock)
            {
                return _order.Select(id => _operations[id]).ToList();
            }
        }
    }

    /// <summary>Rewrites a stored operation, as a recording made by an earlier version of the SDK would hold it.</summary>
    public void Rewrite(string id, Func<Operation, Operation> rewrite)
    {
        lock (_lock)
        {
            _operations[id] = rewrite(_operations[id]);
        }
    }

    public Operation Single(OperationType type, string? name = null) =>
        Operations.Single(o => o.Type == type && (name is null || o.Name == name));

    public DurableExecutionInvocationInput NewInvocation() => new()
    {
        DurableExecutionArn = Arn,
        CheckpointToken = NextToken(),
        InitialExecutionState = new InitialExecutionState { Operations = Operations },
    };

    /// <summary>Runs one invocation; with <paramref name="time"/> (a fake clock) lazy STARTs are flushed only when it moves.</summary>
    public Task<DurableExecutionInvocationOutput> InvokeAsync<TIn, TOut>(Func<TIn, IDurableContext, Task<TOut>> workflow, TimeProvider? time = null) =>
        DurableFunction.WrapAsync(workflow, NewInvocation(), this, time is null ? null : new DurableFunctionOptions { TimeProvider = time });

    public async Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request, CancellationToken cancellationToken = default)
    {
        if (BeforeCheckpoint is { } before)
        {
            await before(request);
        }

        lock (_lock)
        {
            if (request.CheckpointToken != CurrentToken)
            {
                throw ServiceErrorCodes.InvalidToken("the token was already used or belongs to another invocation.");
            }

            Requests.Add(request);
            var touched = new List<Operation>();
            foreach (OperationUpdate update in request.Updates ?? [])
            {
                touched.Add(Apply(update));
            }

            foreach ((Func<Operation, bool> match, TaskCompletionSource seen) in _awaited.Where(awaited => touched.Any(awaited.Match)).ToList())
            {
                seen.TrySetResult();
                _awaited.Remove((match, seen));
            }

            // Touched operations plus those changed service-side since the last delivery (WIRE-DETAILS §B.7).
            List<string> ids = touched.Select(o => o.Id).Concat(_changedSinceDelivery).Distinct().ToList();
            _changedSinceDelivery.Clear();
            return new CheckpointDurableExecutionResponse
            {
                CheckpointToken = NextToken(),
                NewExecutionState = new CheckpointUpdatedExecutionState { Operations = ids.Select(id => _operations[id]).ToList() },
            };
        }
    }

    public Task<GetDurableExecutionStateResponse> GetExecutionStateAsync(GetDurableExecutionStateRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(new GetDurableExecutionStateResponse { Operations = Operations });

    /// <summary>Service-side transitions between invocations: waits end, retries become due.</summary>
    public void FireTimers()
    {
        lock (_lock)
        {
            foreach (Operation operation in Operations)
            {
                if (operation.Type == OperationType.Wait && operation.Status == OperationStatus.Started)
                {
                    Put(operation with { Status = OperationStatus.Succeeded, EndTimestamp = Now });
                    _changedSinceDelivery.Add(operation.Id);
                }
                else if (operation.Type == OperationType.Step && operation.Status == OperationStatus.Pending)
                {
                    Put(operation with { Status = OperationStatus.Ready, StepDetails = operation.StepDetails! with { NextAttemptTimestamp = null } });
                    _changedSinceDelivery.Add(operation.Id);
                }
            }
        }
    }

    public void CompleteCallback(string callbackId, string? result = null, ErrorObject? error = null, OperationStatus? status = null)
    {
        lock (_lock)
        {
            Operation callback = Operations.Single(o => o.CallbackDetails?.CallbackId == callbackId);
            Put(callback with
            {
                Status = status ?? (error is null ? OperationStatus.Succeeded : OperationStatus.Failed),
                CallbackDetails = callback.CallbackDetails! with { Result = result, Error = error },
            });
            _changedSinceDelivery.Add(callback.Id);
        }
    }

    private string CurrentToken => "token-" + _tokenNumber;

    private string NextToken() => "token-" + Interlocked.Increment(ref _tokenNumber);

    private void Put(Operation operation)
    {
        if (!_operations.ContainsKey(operation.Id))
        {
            _order.Add(operation.Id);
        }

        _operations[operation.Id] = operation;
    }

    private Operation Apply(OperationUpdate update)
    {
        Operation? existing = _operations.GetValueOrDefault(update.Id);
        Operation baseline = existing ?? new Operation
        {
            Id = update.Id,
            ParentId = update.ParentId,
            Name = update.Name,
            Type = update.Type,
            SubType = update.SubType,
            Status = OperationStatus.Started,
            StartTimestamp = Now,
        };
        int attempt = baseline.StepDetails?.Attempt ?? 0;
        Operation result = (update.Type, update.Action) switch
        {
            (OperationType.Step, OperationAction.Start) => baseline with { Status = OperationStatus.Started, StepDetails = (baseline.StepDetails ?? new StepDetails()) with { NextAttemptTimestamp = null } },
            (OperationType.Step, OperationAction.Succeed) => baseline with { Status = OperationStatus.Succeeded, StepDetails = new StepDetails { Attempt = attempt + 1, Result = update.Payload } },
            (OperationType.Step, OperationAction.Fail) => baseline with { Status = OperationStatus.Failed, StepDetails = new StepDetails { Attempt = attempt + 1, Error = update.Error } },
            (OperationType.Step, OperationAction.Retry) => baseline with
            {
                Status = OperationStatus.Pending,
                StepDetails = new StepDetails { Attempt = attempt + 1, Error = update.Error, Result = update.Payload, NextAttemptTimestamp = Now.AddSeconds(update.StepOptions!.NextAttemptDelaySeconds!.Value) },
            },
            (OperationType.Wait, OperationAction.Start) => baseline with { WaitDetails = new WaitDetails { ScheduledEndTimestamp = Now.AddSeconds(update.WaitOptions!.WaitSeconds!.Value) } },
            (OperationType.Callback, OperationAction.Start) => baseline with { CallbackDetails = new CallbackDetails { CallbackId = "cb" + Interlocked.Increment(ref _callbackNumber) } },
            (OperationType.ChainedInvoke, OperationAction.Start) => baseline with { ChainedInvokeDetails = new ChainedInvokeDetails() },
            (OperationType.Context, OperationAction.Start) => baseline,
            (OperationType.Context, OperationAction.Succeed) => baseline with { Status = OperationStatus.Succeeded, ContextDetails = new ContextDetails { Result = update.Payload, ReplayChildren = update.ContextOptions?.ReplayChildren } },
            (OperationType.Context, OperationAction.Fail) => baseline with { Status = OperationStatus.Failed, ContextDetails = new ContextDetails { Error = update.Error } },
            _ => throw ServiceErrorCodes.InvalidParameter($"The fake does not support {update.Type} {update.Action}."),
        };
        Put(result);
        return result;
    }
}
