using Microsoft.Extensions.Logging;

namespace Durably.Testing;

/// <summary>Options of <see cref="ReplayTester"/>.</summary>
public sealed record ReplayOptions
{
    /// <summary>The serializer the function is hosted with; null is <see cref="JsonDurableSerializer.Default"/>.</summary>
    public IDurableSerializer? Serializer { get; init; }

    /// <summary>Where the workflow's context loggers write (they know they are replaying).</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>How long (real time) a replay may take before it is reported as stuck.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
