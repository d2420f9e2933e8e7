using Durably.Protocol;

namespace Durably;

// Every exception can be built from a recorded error (what the SDK does) or from a message and an
// inner exception (what AWS's SDK offers user code, e.g. to test a handler's catch blocks).

/// <summary>A step failed and its retry strategy gave up.</summary>
public class StepException : DurableExecutionException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public StepException(ErrorObject error, Exception? innerException = null) : base(error, innerException) { }

    /// <summary>Creates the exception with a default message.</summary>
    public StepException() { }

    /// <summary>Creates the exception with a message.</summary>
    public StepException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StepException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The recorded error message.</summary>
    public string? ErrorMessage => Error.ErrorMessage;
}

/// <summary>An <see cref="StepSemantics.AtMostOncePerRetry"/> attempt was interrupted and not retried.</summary>
public class StepInterruptedException : StepException
{
    /// <summary>The error type recorded for an interrupted attempt.</summary>
    public const string InterruptedErrorType = "StepInterrupted";

    /// <summary>Creates the exception from the recorded error.</summary>
    public StepInterruptedException(ErrorObject error) : base(error) { }

    /// <summary>Creates the exception with a default message.</summary>
    public StepInterruptedException() { }

    /// <summary>Creates the exception with a message.</summary>
    public StepInterruptedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StepInterruptedException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>Base of callback outcomes other than success.</summary>
public class CallbackException : DurableExecutionException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public CallbackException(ErrorObject error, Exception? innerException = null) : base(error, innerException) { }

    /// <summary>Creates the exception with a default message.</summary>
    public CallbackException() { }

    /// <summary>Creates the exception with a message.</summary>
    public CallbackException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CallbackException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The id of the callback, when the SDK knows it (<see cref="ICallback{T}.GetResultAsync"/>).</summary>
    public string? CallbackId { get; init; }
}

/// <summary>The callback was answered with a failure.</summary>
public class CallbackFailedException : CallbackException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public CallbackFailedException(ErrorObject error) : base(error) { }

    /// <summary>Creates the exception with a default message.</summary>
    public CallbackFailedException() { }

    /// <summary>Creates the exception with a message.</summary>
    public CallbackFailedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CallbackFailedException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>The callback timed out (<c>Callback.Timeout</c>) or missed its heartbeat (<c>Callback.Heartbeat</c>).</summary>
public class CallbackTimeoutException : CallbackException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public CallbackTimeoutException(ErrorObject error) : base(error) { }

    /// <summary>Creates the exception with a default message.</summary>
    public CallbackTimeoutException() { }

    /// <summary>Creates the exception with a message.</summary>
    public CallbackTimeoutException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CallbackTimeoutException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>The submitter of a wait-for-callback failed after its retries.</summary>
public class CallbackSubmitterException : CallbackException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public CallbackSubmitterException(ErrorObject error, Exception? innerException = null) : base(error, innerException) { }

    /// <summary>Creates the exception with a default message.</summary>
    public CallbackSubmitterException() { }

    /// <summary>Creates the exception with a message.</summary>
    public CallbackSubmitterException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CallbackSubmitterException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>Base of invoke outcomes other than success.</summary>
public class InvokeException : DurableExecutionException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public InvokeException(ErrorObject error) : base(error) { }

    /// <summary>Creates the exception with a default message.</summary>
    public InvokeException() { }

    /// <summary>Creates the exception with a message.</summary>
    public InvokeException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public InvokeException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The function the invoke named.</summary>
    public string? FunctionName { get; init; }
}

/// <summary>The invoked execution failed.</summary>
public class InvokeFailedException : InvokeException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public InvokeFailedException(ErrorObject error) : base(error) { }

    /// <summary>Creates the exception with a default message.</summary>
    public InvokeFailedException() { }

    /// <summary>Creates the exception with a message.</summary>
    public InvokeFailedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public InvokeFailedException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>The invoked execution timed out.</summary>
public class InvokeTimedOutException : InvokeException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public InvokeTimedOutException(ErrorObject error) : base(error) { }

    /// <summary>Creates the exception with a default message.</summary>
    public InvokeTimedOutException() { }

    /// <summary>Creates the exception with a message.</summary>
    public InvokeTimedOutException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public InvokeTimedOutException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>The invoked execution was stopped.</summary>
public class InvokeStoppedException : InvokeException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public InvokeStoppedException(ErrorObject error) : base(error) { }

    /// <summary>Creates the exception with a default message.</summary>
    public InvokeStoppedException() { }

    /// <summary>Creates the exception with a message.</summary>
    public InvokeStoppedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public InvokeStoppedException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>A child context (or a parallel branch / map item) threw.</summary>
public class ChildContextException : DurableExecutionException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public ChildContextException(ErrorObject error, Exception? innerException = null) : base(error, innerException) { }

    /// <summary>Creates the exception with a default message.</summary>
    public ChildContextException() { }

    /// <summary>Creates the exception with a message.</summary>
    public ChildContextException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ChildContextException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The sub-type of the child context that failed, when the SDK knows it.</summary>
    public string? SubType { get; init; }
}

/// <summary>A wait-for-condition check threw, or its wait strategy ran out of attempts.</summary>
public class WaitForConditionException : DurableExecutionException
{
    /// <summary>The error type recorded when the attempts ran out.</summary>
    public const string AttemptsExhaustedErrorType = "WaitForConditionAttemptsExhausted";

    private readonly int _attemptsExhausted;

    /// <summary>Creates the exception from the recorded error, after <paramref name="checks"/> checks when known.</summary>
    public WaitForConditionException(ErrorObject error, Exception? innerException = null, int? checks = null) : base(error, innerException)
    {
        _attemptsExhausted = error.ErrorType == AttemptsExhaustedErrorType ? checks ?? 0 : 0;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public WaitForConditionException() { }

    /// <summary>Creates the exception with a message.</summary>
    public WaitForConditionException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public WaitForConditionException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>
    /// How many checks ran when the wait strategy's attempts ran out; 0 when the check itself threw.
    /// A wait strategy that throws this exception with a count greater than 0 records the attempts as exhausted.
    /// </summary>
    public int AttemptsExhausted
    {
        get => _attemptsExhausted;
        init
        {
            _attemptsExhausted = value;
            if (value > 0)
            {
                Error = Error with { ErrorType = AttemptsExhaustedErrorType };
            }
        }
    }

    /// <summary>The last state, as JSON.</summary>
    public string? LastState => Error.ErrorData;
}

/// <summary>The log holds, at an operation's id, another type, name or sub-type than the code asks for.</summary>
public class NonDeterministicExecutionException : DurableExecutionException
{
    /// <summary>Creates the exception with a default message.</summary>
    public NonDeterministicExecutionException() { }

    /// <summary>Creates the exception with a message naming both sides.</summary>
    public NonDeterministicExecutionException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public NonDeterministicExecutionException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception from replay's structured mismatch: its diff is the message, its JSON the error's data.</summary>
    public NonDeterministicExecutionException(ReplayMismatch mismatch)
        : base(new ErrorObject
        {
            ErrorType = nameof(NonDeterministicExecutionException),
            ErrorMessage = mismatch?.Describe(),
            ErrorData = System.Text.Json.JsonSerializer.Serialize(mismatch, DurablyJson.Api),
        })
    {
        Mismatch = mismatch;
    }

    /// <summary>The structured mismatch (position, operation id, expected and actual operation, call site); null when created from a message.</summary>
    public ReplayMismatch? Mismatch { get; }
}
