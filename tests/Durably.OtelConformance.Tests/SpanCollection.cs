using Xunit;

namespace Durably.OtelConformance;

/// <summary>
/// Tests that listen to the process-wide <c>Durably</c> source (or set the process-wide trace view) run one
/// at a time, so that no test captures another's spans.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SpanCollection
{
    public const string Name = "Durably spans";
}
