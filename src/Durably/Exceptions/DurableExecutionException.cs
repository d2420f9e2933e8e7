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

    /// <summary>Creates the exception with a message only.</summary>
    public DurableExecutionException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = new ErrorObject { ErrorType = GetType().Name, ErrorMessage = message };
    }

    /// <summary>The recorded error (survives replay, unlike the original exception type).</summary>
    public ErrorObject Error { get; }

    /// <summary>The recorded error's type.</summary>
    public string? ErrorType => Error.ErrorType;

    /// <summary>The recorded error's data.</summary>
    public string? ErrorData => Error.ErrorData;
}
