using Durably.Protocol;

namespace Durably.Engine;

/// <summary>Builders of history event details (PROTOCOL.md §2.5, WIRE-DETAILS.md §D.9).</summary>
internal static class EventDetails
{
    public static readonly HistoryEventDetails Empty = new();

    // The real service emits Truncated:false beside every embedded payload.
    public static EventPayload Payload(string? payload) => new() { Payload = payload, Truncated = false };

    public static EventError Error(ErrorObject? error) => new() { Payload = error, Truncated = false };

    public static HistoryEventDetails WithResult(string? payload) => new() { Result = Payload(payload) };

    public static HistoryEventDetails WithError(ErrorObject? error) => new() { Error = Error(error) };
}
