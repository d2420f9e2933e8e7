using System.Diagnostics;
using System.Globalization;

namespace Durably.OtelConformance;

/// <summary>A finished span as the validator sees it: ids, times, status and attributes as text.</summary>
public sealed record SpanRecord
{
    public required string Name { get; init; }

    public required string TraceId { get; init; }

    public required string SpanId { get; init; }

    /// <summary>Null for a root span.</summary>
    public string? ParentSpanId { get; init; }

    /// <summary>OK, ERROR or UNSET.</summary>
    public required string Status { get; init; }

    /// <summary>INTERNAL, SERVER, CLIENT, PRODUCER or CONSUMER.</summary>
    public string Kind { get; init; } = "INTERNAL";

    public string? ServiceName { get; init; }

    public required DateTime Start { get; init; }

    public required DateTime End { get; init; }

    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    /// <summary>The (trace id, span id) pairs this span links to.</summary>
    public IReadOnlyList<(string TraceId, string SpanId)> Links { get; init; } = [];

    /// <summary>Reads a finished <see cref="Activity"/>.</summary>
    public static SpanRecord From(Activity activity, string? serviceName) => new()
    {
        Name = activity.DisplayName,
        TraceId = activity.TraceId.ToHexString(),
        SpanId = activity.SpanId.ToHexString(),
        ParentSpanId = activity.ParentSpanId == default || activity.ParentSpanId.ToHexString() == "0000000000000000" ? null : activity.ParentSpanId.ToHexString(),
        Status = activity.Status switch
        {
            ActivityStatusCode.Ok => "OK",
            ActivityStatusCode.Error => "ERROR",
            _ => "UNSET",
        },
        Kind = activity.Kind.ToString().ToUpperInvariant(),
        ServiceName = serviceName,
        Start = activity.StartTimeUtc,
        End = activity.StartTimeUtc + activity.Duration,
        Attributes = activity.TagObjects.Where(t => t.Value is not null).ToDictionary(t => t.Key, t => Text(t.Value!)),
        Links = [.. activity.Links.Select(l => (l.Context.TraceId.ToHexString(), l.Context.SpanId.ToHexString()))],
    };

    /// <summary>An attribute value as YAML writes it: booleans lower case, numbers invariant.</summary>
    public static string Text(object value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public override string ToString() =>
        $"{Name} [{Status}] {SpanId} parent={ParentSpanId ?? "-"} {{{string.Join(", ", Attributes.Select(a => $"{a.Key}={a.Value}"))}}}";
}
