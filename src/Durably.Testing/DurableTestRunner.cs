using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Protocol;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Testing;

/// <summary>
/// Runs a durable workflow on the real engine with an in-memory store and fake time. Whenever the
/// engine is idle (no invocation running, no timer due) and the execution still waits, fake time jumps
/// to the next due timer, so a 30-day wait takes no real time.
/// </summary>
/// <typeparam name="TInput">The workflow's input.</typeparam>
/// <typeparam name="TOutput">The workflow's output.</typeparam>
public sealed class DurableTestRunner<TInput, TOutput> : IDurableTestRunner<TInput, TOutput>
{
    private static readonly DateTimeOffset DefaultStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TestRunnerOptions _options;
    private readonly IDurableSerializer _serializer;
    private readonly FakeTimeProvider? _fakeTime;

    /// <summary>Creates a runner for <paramref name="workflow"/>.</summary>
    public DurableTestRunner(Func<TInput, IDurableContext, Task<TOutput>> workflow, TestRunnerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        _options = options ?? new TestRunnerOptions();
        _serializer = _options.Serializer ?? JsonDurableSerializer.Default;
        TimeProvider time = _options.TimeProvider ?? new FakeTimeProvider(DefaultStart);
        _fakeTime = time as FakeTimeProvider;
        Engine = new DurableEngine(new InMemoryExecutionStore(), new FunctionRegistry(), time,
            new DurablyOptions { MaxInvocationsPerExecution = _options.MaxInvocations }, _options.LoggerFactory);
        RegisterDurableFunction(_options.FunctionName, workflow);
        Engine.StartAsync().GetAwaiter().GetResult();
    }

    /// <summary>The engine under the runner (for advanced assertions).</summary>
    public DurableEngine Engine { get; }

    /// <summary>The engine's time.</summary>
    public TimeProvider TimeProvider => Engine.TimeProvider;

    /// <summary>Starts the workflow and runs it to the end.</summary>
    /// <exception cref="TimeoutException">It did not end within the timeout (real time).</exception>
    public async Task<TestResult<TOutput>> RunAsync(TInput input, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        string arn = await StartAsync(input, timeout, cancellationToken).ConfigureAwait(false);
        return await WaitForResultAsync(arn, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the workflow and runs it until it suspends; returns the execution ARN.</summary>
    public Task<string> StartAsync(TInput input, string? executionName = null) => StartAsync(input, executionName, null, CancellationToken.None);

    /// <summary>Starts the workflow and runs it until it suspends (at most <paramref name="timeout"/>); returns the execution ARN.</summary>
    public Task<string> StartAsync(TInput input, TimeSpan? timeout, CancellationToken cancellationToken = default) =>
        StartAsync(input, null, timeout, cancellationToken);

    private async Task<string> StartAsync(TInput input, string? executionName, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        StartExecutionResult started = await Engine.StartExecutionAsync(_options.FunctionName, _serializer.Serialize(input), executionName, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        await WaitUntilIdleAsync(timeout ?? _options.DefaultTimeout).WaitAsync(cancellationToken).ConfigureAwait(false);
        return started.DurableExecutionArn;
    }

    /// <summary>
    /// Runs until a callback (named <paramref name="name"/>, or any) is waiting, and returns its id.
    /// Callbacks already answered are skipped.
    /// </summary>
    /// <exception cref="InvalidOperationException">The execution can no longer create such a callback.</exception>
    public async Task<string> WaitForCallbackAsync(string arn, string? name = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        string? callbackId = null;
        bool found = await DriveAsync(arn, async () =>
        {
            IReadOnlyList<Operation> operations = await Engine.GetOperationsAsync(arn).ConfigureAwait(false);
            callbackId = operations.FirstOrDefault(operation => operation.Type == OperationType.Callback
                && operation.Status == OperationStatus.Started
                && (name is null || operation.Name == name || ParentName(operations, operation) == name))?.CallbackDetails?.CallbackId;
            return callbackId is not null;
        }, timeout ?? _options.DefaultTimeout).WaitAsync(cancellationToken).ConfigureAwait(false);
        return found ? callbackId! : throw new InvalidOperationException($"No callback{(name is null ? "" : $" named '{name}'")} is waiting and the execution cannot progress.");
    }

    /// <summary>Answers a callback with success and runs until the engine is idle.</summary>
    public async Task SendCallbackSuccessAsync<T>(string callbackId, T result, CancellationToken cancellationToken = default)
    {
        await Engine.SendCallbackSuccessAsync(callbackId, _serializer.Serialize(result), cancellationToken).ConfigureAwait(false);
        await WaitUntilIdleAsync(_options.DefaultTimeout).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers a callback with failure and runs until the engine is idle.</summary>
    public async Task SendCallbackFailureAsync(string callbackId, ErrorObject? error = null, CancellationToken cancellationToken = default)
    {
        await Engine.SendCallbackFailureAsync(callbackId, error, cancellationToken).ConfigureAwait(false);
        await WaitUntilIdleAsync(_options.DefaultTimeout).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a callback heartbeat.</summary>
    public Task SendCallbackHeartbeatAsync(string callbackId, CancellationToken cancellationToken = default) =>
        Engine.SendCallbackHeartbeatAsync(callbackId, cancellationToken);

    /// <summary>
    /// Runs the execution until it closes and returns its result. If it waits for something only the
    /// test can do (answer a callback), it returns with status Running.
    /// </summary>
    /// <exception cref="TimeoutException">It did not settle within the timeout (real time).</exception>
    public async Task<TestResult<TOutput>> WaitForResultAsync(string arn, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        await DriveAsync(arn, async () => (await Engine.GetExecutionAsync(arn).ConfigureAwait(false)).EndTimestamp is not null,
            timeout ?? _options.DefaultTimeout).WaitAsync(cancellationToken).ConfigureAwait(false);
        return await GetResultAsync(arn).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The execution's current state, without running anything.</summary>
    public async Task<TestResult<TOutput>> GetResultAsync(string arn)
    {
        DurableExecutionDescription execution = await Engine.GetExecutionAsync(arn).ConfigureAwait(false);
        IReadOnlyList<Operation> operations = await Engine.GetOperationsAsync(arn).ConfigureAwait(false);
        var history = new List<HistoryEvent>();
        string? marker = null;
        do
        {
            HistoryPage page = await Engine.GetHistoryAsync(arn, marker, 1000).ConfigureAwait(false);
            history.AddRange(page.Events);
            marker = page.NextMarker;
        }
        while (marker is not null);

        TOutput? result = execution.Status == ExecutionStatus.Succeeded ? _serializer.Deserialize<TOutput>(execution.Result) : default;
        return new TestResult<TOutput>(execution, result, ToTestOperations(operations), history);
    }

    /// <summary>Stops the execution.</summary>
    public async Task StopAsync(string arn)
    {
        await Engine.StopExecutionAsync(arn).ConfigureAwait(false);
        await WaitUntilIdleAsync(_options.DefaultTimeout).ConfigureAwait(false);
    }

    /// <summary>Registers another durable function (an invoke target).</summary>
    public DurableTestRunner<TInput, TOutput> RegisterDurableFunction<TPayload, TResult>(string name, Func<TPayload, IDurableContext, Task<TResult>> handler)
    {
        Engine.Functions.Register(Registration(name, FunctionHandlers.Durable(name, handler, _options.Serializer, _options.LoggerFactory, Engine.TimeProvider)));
        return this;
    }

    /// <summary>Registers a plain (non-durable) function as an invoke target.</summary>
    public DurableTestRunner<TInput, TOutput> RegisterFunction<TPayload, TResult>(string name, Func<TPayload, Task<TResult>> handler)
    {
        Engine.Functions.Register(Registration(name, FunctionHandlers.Plain(handler, _options.Serializer)));
        return this;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Engine.DisposeAsync();

    private static RegisteredFunction Registration(string name, InvocationHandler handler) => new()
    {
        Name = name,
        Version = "1",
        ExecutionTimeout = TimeSpan.FromSeconds(31_622_400),
        RetentionPeriodInDays = 14,
        InvocationTimeout = TimeSpan.FromMinutes(15),
        Handler = handler,
    };

    /// <summary>
    /// Waits for idleness, checks <paramref name="done"/>, and otherwise skips fake time to the next due
    /// timer. False when nothing is due any more (the execution waits on the test) or time is not skipped.
    /// </summary>
    private async Task<bool> DriveAsync(string arn, Func<Task<bool>> done, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                await WaitUntilIdleAsync(deadline.Token).ConfigureAwait(false);
                if (await done().ConfigureAwait(false))
                {
                    return true;
                }

                if ((await Engine.GetExecutionAsync(arn, includeExecutionData: false).ConfigureAwait(false)).EndTimestamp is not null)
                {
                    return false;
                }

                DateTimeOffset? next = await NextDueTimeAsync().ConfigureAwait(false);
                if (next is null || await OnlyTimeoutWhileCallbackOpenAsync(arn, next.Value).ConfigureAwait(false))
                {
                    return false;
                }

                if (_options.SkipTime && _fakeTime is not null)
                {
                    TimeSpan jump = next.Value - _fakeTime.GetUtcNow();
                    if (jump > TimeSpan.Zero)
                    {
                        _fakeTime.Advance(jump);
                    }

                    Engine.Wake();
                }
                else if (_fakeTime is not null)
                {
                    return false;
                }
                else
                {
                    // Real time: the dispatcher fires the timer itself; wait for it.
                    TimeSpan delay = next.Value - Engine.TimeProvider.GetUtcNow();
                    await Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.FromMilliseconds(1), Engine.TimeProvider, deadline.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"Execution {arn} did not settle within {timeout}.");
        }
    }

    /// <summary>
    /// The earliest due time of a timer other than a retention timer: those move no execution on, and skipping time
    /// to one would only purge closed executions the test may still read.
    /// </summary>
    private async Task<DateTimeOffset?> NextDueTimeAsync()
    {
        IReadOnlyList<TimerRecord> timers = await Engine.GetTimersDueByAsync(DateTimeOffset.MaxValue, int.MaxValue).ConfigureAwait(false);
        return timers.FirstOrDefault(timer => timer.Kind != TimerKind.Retention)?.DueAt;
    }

    /// <summary>
    /// True when the only thing left to fire is this execution's timeout while it waits for a callback:
    /// the test is expected to answer, so time is not jumped to the timeout.
    /// </summary>
    private async Task<bool> OnlyTimeoutWhileCallbackOpenAsync(string arn, DateTimeOffset next)
    {
        IReadOnlyList<TimerRecord> due = await Engine.GetTimersDueByAsync(next).ConfigureAwait(false);
        string executionId = arn[(arn.LastIndexOf('/') + 1)..];
        if (!due.All(timer => timer.Kind == TimerKind.Retention || (timer.Kind == TimerKind.ExecutionTimeout && timer.ExecutionId == executionId)))
        {
            return false;
        }

        IReadOnlyList<Operation> operations = await Engine.GetOperationsAsync(arn).ConfigureAwait(false);
        return operations.Any(operation => operation.Type == OperationType.Callback && operation.Status == OperationStatus.Started);
    }

    private async Task WaitUntilIdleAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await WaitUntilIdleAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"The engine did not become idle within {timeout}.");
        }
    }

    private async Task WaitUntilIdleAsync(CancellationToken cancellationToken)
    {
        while (!Engine.IsIdle)
        {
            await Engine.WhenIdleAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static string? ParentName(IReadOnlyList<Operation> operations, Operation operation) =>
        operation.ParentId is { } parentId ? operations.FirstOrDefault(candidate => candidate.Id == parentId)?.Name : null;

    private List<TestOperation> ToTestOperations(IReadOnlyList<Operation> operations)
    {
        var byId = new Dictionary<string, TestOperation>(StringComparer.Ordinal);
        var all = new List<TestOperation>(operations.Count);
        foreach (Operation operation in operations.Where(operation => operation.Type != OperationType.Execution))
        {
            var testOperation = new TestOperation(operation, _serializer);
            byId[operation.Id] = testOperation;
            all.Add(testOperation);
            if (operation.ParentId is { } parentId && byId.TryGetValue(parentId, out TestOperation? parent))
            {
                parent.AddChild(testOperation);
            }
        }

        return all;
    }
}
