namespace Durably.Engine;

/// <summary>
/// An HTTP function's invocation failed before it produced an output: the engine records it as an
/// invocation failure (<c>InvocationCompleted</c> with an error) and retries with backoff (PROTOCOL.md §0).
/// The message starts with <see cref="ErrorType"/>, so the recorded error says what happened.
/// </summary>
public sealed class HttpFunctionException : Exception
{
    /// <summary>The endpoint did not answer within the function's invocation timeout.</summary>
    public const string Timeout = "Function.Timeout";

    /// <summary>The endpoint could not be reached (connection refused or reset, name not resolved).</summary>
    public const string Unreachable = "Function.Unreachable";

    /// <summary>The endpoint answered with a status other than 2xx.</summary>
    public const string HttpError = "Function.HttpError";

    /// <summary>The endpoint answered 2xx with a body that is not an invocation output.</summary>
    public const string InvalidOutput = "Function.InvalidOutput";

    /// <summary>Creates the exception.</summary>
    /// <param name="errorType">One of the constants of this class.</param>
    /// <param name="message">What happened, without the error type.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public HttpFunctionException(string errorType, string message, Exception? innerException = null)
        : base($"{errorType}: {message}", innerException)
    {
        ErrorType = errorType;
    }

    /// <summary>What kind of failure: <see cref="Timeout"/>, <see cref="Unreachable"/>, <see cref="HttpError"/> or <see cref="InvalidOutput"/>.</summary>
    public string ErrorType { get; }
}
