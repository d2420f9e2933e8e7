namespace Durably.Protocol;

/// <summary>A recorded error: <c>{ErrorType, ErrorMessage, ErrorData, StackTrace}</c>.</summary>
public sealed record ErrorObject
{
    /// <summary>The error's type, e.g. the exception type name.</summary>
    public string? ErrorType { get; init; }

    /// <summary>The error's message.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Free-form data attached to the error.</summary>
    public string? ErrorData { get; init; }

    /// <summary>Stack trace lines.</summary>
    public IReadOnlyList<string>? StackTrace { get; init; }

    /// <summary>Stack lines kept when recording an exception: enough to find the throw site, small enough for the payload limit.</summary>
    private const int MaxStackTraceLines = 50;

    /// <summary>Builds an error object from an exception: its type name, message and (at most 50 lines of) stack trace.</summary>
    public static ErrorObject FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new ErrorObject
        {
            ErrorType = exception.GetType().Name,
            ErrorMessage = exception.Message,
            StackTrace = exception.StackTrace is { } trace
                ? trace.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(MaxStackTraceLines).ToArray()
                : null,
        };
    }
}
