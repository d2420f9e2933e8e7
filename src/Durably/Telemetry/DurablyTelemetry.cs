using System.Diagnostics;

namespace Durably.Telemetry;

/// <summary>The names under which Durably emits telemetry.</summary>
public static class DurablyTelemetry
{
    /// <summary>The name of the <see cref="ActivitySource"/> (and <c>Meter</c>) of Durably.</summary>
    public const string SourceName = "Durably";

    internal static readonly ActivitySource Source = new(SourceName);
}
