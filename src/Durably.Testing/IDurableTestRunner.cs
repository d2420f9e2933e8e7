using Durably.Protocol;

namespace Durably.Testing;

/// <summary>
/// A test runner as AWS's testing package names it (<c>IDurableTestRunner</c>), so test code written against AWS's
/// runner compiles against <see cref="DurableTestRunner{TInput, TOutput}"/>. Every wait is bounded by
/// <c>timeout</c> (null: <see cref="TestRunnerOptions.DefaultTimeout"/>) and by the <see cref="CancellationToken"/>.
/// </summary>
/// <typeparam name="TInput">The workflow's input.</typeparam>
/// <typeparam name="TOutput">The workflow's output.</typeparam>
public interface IDurableTestRunner<TInput, TOutput> : IAsyncDisposable
{
    /// <summary>Starts the workflow and runs it to the end.</summary>
    Task<TestResult<TOutput>> RunAsync(TInput input, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>Starts the workflow and runs it until it suspends; returns the execution ARN.</summary>
    Task<string> StartAsync(TInput input, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>Runs until a callback (named <paramref name="name"/>, or any) is waiting, and returns its id.</summary>
    Task<string> WaitForCallbackAsync(string arn, string? name = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>Answers a callback with success and runs until the engine is idle.</summary>
    Task SendCallbackSuccessAsync<TResult>(string callbackId, TResult result, CancellationToken cancellationToken = default);

    /// <summary>Answers a callback with failure and runs until the engine is idle.</summary>
    Task SendCallbackFailureAsync(string callbackId, ErrorObject? error = null, CancellationToken cancellationToken = default);

    /// <summary>Sends a callback heartbeat.</summary>
    Task SendCallbackHeartbeatAsync(string callbackId, CancellationToken cancellationToken = default);

    /// <summary>Runs the execution until it closes (or waits for the test) and returns its result.</summary>
    Task<TestResult<TOutput>> WaitForResultAsync(string arn, TimeSpan? timeout = null, CancellationToken cancellationToken = default);
}
