using Durably.Protocol;

namespace Durably;

/// <summary>A step failed and its retry strategy gave up.</summary>
public class StepException : DurableExecutionException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public StepException(ErrorObject error, Exception? innerException = null) : base(error, innerException) { }

    /// <summary>The recorded error message.</summary>
    public string? ErrorMessage => Error.ErrorMessage;

    /// <summary>The stack trace recorded when the step failed.</summary>
    public IReadOnlyList<string>? OriginalStackTrace => Error.StackTrace;
}

/// <summary>An <see cref="StepSemantics.AtMostOncePerRetry"/> attempt was interrupted and not retried.</summary>
public sealed class StepInterruptedException : StepException
{
    /// <summary>The error type recorded for an interrupted attempt.</summary>
    public const string InterruptedErrorType = "StepInterrupted";

    /// <summary>Creates the exception from the recorded error.</summary>
    public StepInterruptedException(ErrorObject error) : base(error) { }
}

/// <summary>Base of callback outcomes other than success.</summary>
public class CallbackException : DurableExecutionException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public CallbackException(ErrorObject error, Exception? innerException = null) : base(error, innerException) { }
}

/// <summary>The callback was answered with a failure.</summary>
public sealed class CallbackFailedException : CallbackException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public CallbackFailedException(ErrorObject error) : base(error) { }
}

/// <summary>The callback timed out (<c>Callback.Timeout</c>) or missed its heartbeat (<c>Callback.Heartbeat</c>).</summary>
public sealed class CallbackTimeoutException : CallbackException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public CallbackTimeoutException(ErrorObject error) : base(error) { }
}

/// <summary>The submitter of a wait-for-callback failed after its retries.</summary>
public sealed class CallbackSubmitterException : CallbackException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public CallbackSubmitterException(ErrorObject error, Exception? innerException = null) : base(error, innerException) { }
}

/// <summary>Base of invoke outcomes other than success.</summary>
public class InvokeException : DurableExecutionException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public InvokeException(ErrorObject error) : base(error) { }
}

/// <summary>The invoked execution failed.</summary>
public sealed class InvokeFailedException : InvokeException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public InvokeFailedException(ErrorObject error) : base(error) { }
}

/// <summary>The invoked execution timed out.</summary>
public sealed class InvokeTimedOutException : InvokeException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public InvokeTimedOutException(ErrorObject error) : base(error) { }
}

/// <summary>The invoked execution was stopped.</summary>
public sealed class InvokeStoppedException : InvokeException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public InvokeStoppedException(ErrorObject error) : base(error) { }
}

/// <summary>A child context (or a parallel branch / map item) threw.</summary>
public sealed class ChildContextException : DurableExecutionException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public ChildContextException(ErrorObject error, Exception? innerException = null) : base(error, innerException) { }
}

/// <summary>A wait-for-condition check threw, or its wait strategy ran out of attempts.</summary>
public sealed class WaitForConditionException : DurableExecutionException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public WaitForConditionException(ErrorObject error, Exception? innerException = null) : base(error, innerException) { }

    /// <summary>True when the wait strategy's attempts ran out.</summary>
    public bool AttemptsExhausted => Error.ErrorType == AttemptsExhaustedErrorType;

    /// <summary>The last state, as JSON.</summary>
    public string? LastState => Error.ErrorData;

    /// <summary>The error type recorded when the attempts ran out.</summary>
    public const string AttemptsExhaustedErrorType = "WaitForConditionAttemptsExhausted";
}

/// <summary>The log holds, at an operation's id, another type, name or sub-type than the code asks for.</summary>
public sealed class NonDeterministicExecutionException : DurableExecutionException
{
    /// <summary>Creates the exception with a message naming both sides.</summary>
    public NonDeterministicExecutionException(string message) : base(message) { }

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
