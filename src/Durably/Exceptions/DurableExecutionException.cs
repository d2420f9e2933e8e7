using Durably.Protocol;

namespace Durably;

/// <summary>Base of every exception a durable operation throws into user code.</summary>
public class DurableExecutionException : Exception
{
    /// <summary>Creates the exception from a recorded error.</summary>
    public DurableExecutionException(ErrorObject error, Exception? innerException = null)
        : base(error?.ErrorMessage ?? error?.ErrorType ?? "Durable operation failed.", innerException)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    /// <summary>Creates the exception with a message only; its error's type is the exception's type name.</summary>
    public DurableExecutionException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = new ErrorObject { ErrorType = GetType().Name, ErrorMessage = message };
    }

    /// <summary>Creates the exception with a default message (the standard exception constructor).</summary>
    public DurableExecutionException()
        : this("Durable operation failed.")
    {
    }

    /// <summary>Creates the exception with a message (AWS's shape).</summary>
    public DurableExecutionException(string message)
        : this(message, null)
    {
    }

    /// <summary>The recorded error (survives replay, unlike the original exception type).</summary>
    public ErrorObject Error { get; private protected set; }

    /// <summary>The recorded error's type; settable when the exception is built from a message.</summary>
    public string? ErrorType
    {
        get => Error.ErrorType;
        init => Error = Error with { ErrorType = value };
    }

    /// <summary>The recorded error's data; settable when the exception is built from a message.</summary>
    public string? ErrorData
    {
        get => Error.ErrorData;
        init => Error = Error with { ErrorData = value };
    }

    /// <summary>The recorded error's stack trace lines (the original exception's, which replay cannot rethrow).</summary>
    public IReadOnlyList<string>? OriginalStackTrace
    {
        get => Error.StackTrace;
        init => Error = Error with { StackTrace = value };
    }
}
