namespace Durably.Engine;

/// <summary>An event pattern is not valid; the message says which field and what is wrong.</summary>
public sealed class EventPatternException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public EventPatternException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    public EventPatternException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public EventPatternException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
