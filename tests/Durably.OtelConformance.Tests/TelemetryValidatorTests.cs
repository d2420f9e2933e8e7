using Xunit;
using YamlDotNet.Serialization;

namespace Durably.OtelConformance;

/// <summary>The validator fails wrong span sets: each test breaks one rule of the README on an otherwise valid set.</summary>
public sealed class TelemetryValidatorTests
{
    private const string Arn = "arn:test";
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private const string Assertions = """
        minimum_spans: 4
        require_unique_root_per_trace: true
        require_all_spans: true
        span_assertion_scope:
          attributes:
            durable.execution.arn: arn:test
        exact_attribute_prefixes: [durable.]
        span_assertions:
          - select: { name: Workflow }
            expect: { parent_span_id: null, status: OK, links: [] }
          - select: { name: Invocation }
            expect:
              status: OK
              attributes: { durable.execution.arn: arn:test, durable.invocation.status: SUCCEEDED }
              before: { name: Workflow-end-marker }
          - select: { name: step }
            expect:
              status: { $any_of: [OK, UNSET] }
              attributes: { durable.execution.arn: arn:test }
              links: [{ name: Workflow }]
              parent: { name: Invocation }
        """;

    [Fact]
    public void A_valid_span_set_passes() => Assert.Empty(Validate(ValidSpans()));

    [Fact]
    public void A_wrong_status_fails() =>
        Assert.Contains(Validate(Replace(ValidSpans(), "step", s => s with { Status = "ERROR" })), f => f.Contains("status is ERROR", StringComparison.Ordinal));

    [Fact]
    public void An_extra_span_in_scope_fails_require_all_spans() =>
        Assert.Contains(Validate([.. ValidSpans(), Span("stray", "c", "i1", T0.AddSeconds(2), T0.AddSeconds(3)) with { TraceId = "t1" }]),
            f => f.Contains("require_all_spans", StringComparison.Ordinal));

    [Fact]
    public void An_unexpected_durable_attribute_fails_exact_prefixes() =>
        Assert.Contains(Validate(Replace(ValidSpans(), "Invocation", s => s with
        {
            Attributes = new Dictionary<string, string>(s.Attributes) { ["durable.extra"] = "x" },
        })), f => f.Contains("exact_attribute_prefixes", StringComparison.Ordinal));

    [Fact]
    public void A_missing_link_fails() =>
        Assert.Contains(Validate(Replace(ValidSpans(), "step", s => s with { Links = [] })), f => f.Contains("links", StringComparison.Ordinal));

    [Fact]
    public void A_child_outside_its_parent_in_time_fails() =>
        Assert.Contains(Validate(Replace(ValidSpans(), "step", s => s with { End = T0.AddSeconds(30) })), f => f.Contains("contain", StringComparison.Ordinal));

    [Fact]
    public void Two_roots_in_one_trace_fail() =>
        Assert.Contains(Validate(Replace(ValidSpans(), "step", s => s with { ParentSpanId = null })), f => f.Contains("require_unique_root_per_trace", StringComparison.Ordinal));

    [Fact]
    public void A_wrong_time_order_fails() =>
        Assert.Contains(Validate(Replace(ValidSpans(), "Workflow-end-marker", s => s with { Start = T0, End = T0 })), f => f.Contains("is not before", StringComparison.Ordinal));

    [Fact]
    public void Too_few_spans_fail() =>
        Assert.Contains(Validate([.. ValidSpans().Where(s => s.Name != "step")]), f => f.Contains("minimum_spans", StringComparison.Ordinal));

    private static List<SpanRecord> ValidSpans() =>
    [
        Span("Workflow", "w", null, T0, T0.AddSeconds(20)) with { TraceId = "t0", Attributes = new Dictionary<string, string> { ["durable.execution.arn"] = Arn } },
        Span("Invocation", "i1", null, T0.AddSeconds(1), T0.AddSeconds(10)) with
        {
            Attributes = new Dictionary<string, string> { ["durable.execution.arn"] = Arn, ["durable.invocation.status"] = "SUCCEEDED" },
        },
        Span("step", "s1", "i1", T0.AddSeconds(2), T0.AddSeconds(3)) with { Links = [("t0", "w")] },
        Span("Workflow-end-marker", "m", null, T0.AddSeconds(15), T0.AddSeconds(16)) with { TraceId = "other", Attributes = new Dictionary<string, string>() },
    ];

    private static SpanRecord Span(string name, string id, string? parent, DateTime start, DateTime end) => new()
    {
        Name = name,
        TraceId = "t1",
        SpanId = id,
        ParentSpanId = parent,
        Status = "OK",
        Start = start,
        End = end,
        Attributes = new Dictionary<string, string> { ["durable.execution.arn"] = Arn },
    };

    private static List<SpanRecord> Replace(List<SpanRecord> spans, string name, Func<SpanRecord, SpanRecord> change) =>
        [.. spans.Select(s => s.Name == name ? change(s) : s)];

    private static IReadOnlyList<string> Validate(List<SpanRecord> spans) =>
        TelemetryValidator.Validate(new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(Assertions), spans, Arn);
}
