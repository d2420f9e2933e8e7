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

    /// <summary>Builds an error object from an exception.</summary>
    public static ErrorObject FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new ErrorObject
        {
            ErrorType = exception.GetType().Name,
            ErrorMessage = exception.Message,
            StackTrace = exception.StackTrace is { } trace
                ? trace.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : null,
        };
    }
}
