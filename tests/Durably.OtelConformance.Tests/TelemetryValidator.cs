namespace Durably.OtelConformance;

/// <summary>
/// Evaluates one file's <c>TelemetryAssertions</c> (or <c>ExecutionTelemetryAssertions</c>) against the
/// captured spans, by the rules of ../shared/otel-conformance/README.md. The assertions come as the YAML
/// tree (maps, lists, scalars as strings) with placeholders already bound. Returns what failed, empty when
/// everything holds.
/// </summary>
public sealed class TelemetryValidator
{
    private readonly IReadOnlyList<SpanRecord> _spans;
    private readonly string _executionArn;
    private readonly List<string> _failures = [];

    private TelemetryValidator(IReadOnlyList<SpanRecord> spans, string executionArn)
    {
        _spans = spans;
        _executionArn = executionArn;
    }

    public static IReadOnlyList<string> Validate(IDictionary<object, object> assertions, IReadOnlyList<SpanRecord> spans, string executionArn)
    {
        var validator = new TelemetryValidator(spans, executionArn);
        validator.Run(assertions);
        return validator._failures;
    }

    private void Run(IDictionary<object, object> assertions)
    {
        // The scope is one criteria map, or a list of them of which any may match; by default the execution's ARN.
        List<IDictionary<object, object>> scopes = assertions.TryGetValue("span_assertion_scope", out object? scope)
            ? scope is IList<object> alternatives ? [.. alternatives.Cast<IDictionary<object, object>>()] : [(IDictionary<object, object>)scope]
            : [new Dictionary<object, object> { ["attributes"] = new Dictionary<object, object> { ["durable.execution.arn"] = _executionArn } }];
        List<SpanRecord> ofExecution = [.. _spans.Where(span => scopes.Any(s => Matches(span, s)))];
        HashSet<string> traces = [.. ofExecution.Select(s => s.TraceId)];
        List<SpanRecord> inTraces = [.. _spans.Where(s => traces.Contains(s.TraceId))];

        foreach (SpanRecord span in inTraces.Where(s => s.Start > s.End))
        {
            Fail($"span {span} ends before it starts");
        }

        // The spans captured are those of one scenario run (its execution and any it invoked).
        if (Int(assertions, "minimum_spans") is { } minimumSpans && _spans.Count < minimumSpans)
        {
            Fail($"minimum_spans: {minimumSpans} wanted, {_spans.Count} spans");
        }

        int invocations = _spans.Count(s => s.Name == "Invocation");
        if (Int(assertions, "minimum_invocations") is { } minimumInvocations && invocations < minimumInvocations)
        {
            Fail($"minimum_invocations: {minimumInvocations} wanted, {invocations} Invocation spans");
        }

        if (Bool(assertions, "require_execution_correlation") && !_spans.Any(s => s.Attributes.GetValueOrDefault("durable.execution.arn") == _executionArn))
        {
            Fail("require_execution_correlation: no span carries durable.execution.arn");
        }

        if (Bool(assertions, "require_unique_root_per_trace"))
        {
            foreach (IGrouping<string, SpanRecord> trace in inTraces.GroupBy(s => s.TraceId))
            {
                List<SpanRecord> roots = [.. trace.Where(s => s.ParentSpanId is null)];
                if (roots.Count > 1)
                {
                    Fail($"require_unique_root_per_trace: trace {trace.Key} has {roots.Count} roots: {string.Join("; ", roots)}");
                }
            }
        }

        List<string> allowed = [.. List(assertions, "allowed_execution_arns").Select(a => (string)a)];
        foreach (SpanRecord span in _spans.Where(s => allowed.Count > 0 && s.Attributes.TryGetValue("durable.execution.arn", out string? arn) && !allowed.Contains(arn)))
        {
            Fail($"allowed_execution_arns: span {span} belongs to another execution");
        }

        List<string> exactPrefixes = [.. List(assertions, "exact_attribute_prefixes").Select(p => (string)p)];
        var available = new List<SpanRecord>(_spans);
        var matched = new HashSet<SpanRecord>();
        foreach (IDictionary<object, object> assertion in List(assertions, "span_assertions").Cast<IDictionary<object, object>>())
        {
            var select = (IDictionary<object, object>)assertion["select"];
            int[] counts = Counts(assertion);
            List<SpanRecord> selected = [.. available.Where(s => Matches(s, select)).OrderBy(s => s.Start)];
            if (!counts.Contains(selected.Count))
            {
                Fail($"select {Describe(select)}: {string.Join(" or ", counts)} span(s) wanted, {selected.Count} found");
                continue;
            }

            foreach (SpanRecord span in selected)
            {
                available.Remove(span);
                matched.Add(span);
                if (assertion.TryGetValue("expect", out object? expect))
                {
                    Expect(span, (IDictionary<object, object>)expect, exactPrefixes);
                }
            }
        }

        if (Bool(assertions, "require_all_spans"))
        {
            foreach (SpanRecord extra in _spans.Where(span => !matched.Contains(span) && scopes.Any(scope => Matches(span, scope))))
            {
                Fail($"require_all_spans: span {extra} is matched by no assertion");
            }
        }
    }

    private void Expect(SpanRecord span, IDictionary<object, object> expect, List<string> exactPrefixes)
    {
        foreach ((object key, object value) in expect)
        {
            string? mismatch = Mismatch(span, (string)key, value);
            if (mismatch is not null)
            {
                Fail($"span {span}: {mismatch}");
            }
        }

        if (exactPrefixes.Count > 0 && expect.TryGetValue("attributes", out object? attributes))
        {
            var expected = (IDictionary<object, object>)attributes;
            foreach (string prefix in exactPrefixes)
            {
                List<string> extra = [.. span.Attributes.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !expected.ContainsKey(k))];
                if (extra.Count > 0)
                {
                    Fail($"span {span}: exact_attribute_prefixes {prefix}: unexpected {string.Join(", ", extra)}");
                }
            }
        }
    }

    /// <summary>True when <paramref name="span"/> meets every criterion of <paramref name="criteria"/>.</summary>
    private bool Matches(SpanRecord span, IDictionary<object, object> criteria) =>
        criteria.All(c => ((string)c.Key).StartsWith('$') || Mismatch(span, (string)c.Key, c.Value) is null);

    /// <summary>Why <paramref name="span"/> fails the criterion <paramref name="key"/>, or null when it meets it.</summary>
    private string? Mismatch(SpanRecord span, string key, object? value) => key switch
    {
        "name" => Scalar(span.Name, value) ? null : $"name is {span.Name}, wanted {Describe(value)}",
        "status" => Scalar(span.Status, value) ? null : $"status is {span.Status}, wanted {Describe(value)}",
        "kind" => Scalar(span.Kind, value) ? null : $"kind is {span.Kind}, wanted {Describe(value)}",
        "service_name" => Scalar(span.ServiceName, value) ? null : $"service_name is {span.ServiceName}, wanted {Describe(value)}",
        "parent_span_id" => Scalar(span.ParentSpanId, value) ? null : $"parent_span_id is {span.ParentSpanId}, wanted {Describe(value)}",
        "attributes" => AttributesMismatch(span, (IDictionary<object, object>)value!),
        "links" => LinksMismatch(span, (IList<object>)value!),
        "parent" => ParentMismatch(span, (IDictionary<object, object>)value!),
        "before" => OrderMismatch(span, key, (IDictionary<object, object>)value!, (self, other) => self.End <= other.Start),
        "after" => OrderMismatch(span, key, (IDictionary<object, object>)value!, (self, other) => self.Start >= other.End),
        "inside" => OrderMismatch(span, key, (IDictionary<object, object>)value!, (self, other) => self.Start >= other.Start && self.End <= other.End),
        _ => $"unknown criterion {key}",
    };

    private static string? AttributesMismatch(SpanRecord span, IDictionary<object, object> expected)
    {
        foreach ((object name, object value) in expected)
        {
            string? actual = span.Attributes.GetValueOrDefault((string)name);
            if (!Scalar(actual, value))
            {
                return $"attribute {name} is {actual ?? "absent"}, wanted {Describe(value)}";
            }
        }

        return null;
    }

    private string? LinksMismatch(SpanRecord span, IList<object> expected)
    {
        if (span.Links.Count != expected.Count)
        {
            return $"{span.Links.Count} links, wanted {expected.Count}";
        }

        List<SpanRecord?> linked = [.. span.Links.Select(Resolve)];
        foreach (IDictionary<object, object> item in expected.Cast<IDictionary<object, object>>())
        {
            if (Int(item, "$occurrence") is { } occurrence)
            {
                List<SpanRecord> candidates = [.. _spans.Where(s => Matches(s, item)).OrderBy(s => s.Start)];
                SpanRecord? wanted = occurrence <= candidates.Count ? candidates[occurrence - 1] : null;
                if (wanted is null || !linked.Contains(wanted))
                {
                    return $"no link to occurrence {occurrence} of {Describe(item)}";
                }
            }
            else if (!linked.Any(l => l is not null && Matches(l, item)))
            {
                return $"no link to {Describe(item)} (links resolve to: {string.Join("; ", linked.Select(l => l?.ToString() ?? "an unknown span"))})";
            }
        }

        return null;
    }

    private string? ParentMismatch(SpanRecord span, IDictionary<object, object> expected)
    {
        SpanRecord? parent = span.ParentSpanId is null ? null : _spans.FirstOrDefault(s => s.TraceId == span.TraceId && s.SpanId == span.ParentSpanId);
        if (parent is null)
        {
            return $"parent {span.ParentSpanId ?? "none"} is not a captured span";
        }

        if (!Matches(parent, expected))
        {
            return $"parent {parent} does not match {Describe(expected)}";
        }

        // $allow_outside: the parent (an operation span ended in a later invocation) need not contain the child in time.
        return Bool(expected, "$allow_outside") || (parent.Start <= span.Start && span.End <= parent.End) ? null : $"parent {parent} does not contain the span in time";
    }

    /// <summary>Time order against the one span matching <paramref name="other"/> (among linked spans with <c>$linked</c>).</summary>
    private string? OrderMismatch(SpanRecord span, string relation, IDictionary<object, object> other, Func<SpanRecord, SpanRecord, bool> holds)
    {
        IEnumerable<SpanRecord> pool = Bool(other, "$linked") ? span.Links.Select(Resolve).OfType<SpanRecord>() : _spans;
        List<SpanRecord> candidates = [.. pool.Where(s => s != span && Matches(s, other))];
        if (candidates.Count != 1)
        {
            return $"{relation}: {candidates.Count} spans match {Describe(other)}, wanted exactly one";
        }

        return holds(span, candidates[0]) ? null : $"is not {relation} {candidates[0]}";
    }

    private SpanRecord? Resolve((string TraceId, string SpanId) link) =>
        _spans.FirstOrDefault(s => s.TraceId == link.TraceId && s.SpanId == link.SpanId);

    /// <summary>A scalar comparison; a map with <c>$any_of</c> accepts any of its values.</summary>
    private static bool Scalar(string? actual, object? expected) => expected switch
    {
        null => actual is null,
        IDictionary<object, object> map when map.TryGetValue("$any_of", out object? options) => ((IList<object>)options).Any(o => Scalar(actual, o)),
        _ => TextMatches(actual, (string)expected),
    };

    /// <summary>Equal text; <c>*</c> accepts any present value, <c>${/regex/}</c> a match of the regular expression.</summary>
    public static bool TextMatches(string? actual, string expected) =>
        expected == "*" ? actual is not null
        : expected.StartsWith("${/", StringComparison.Ordinal) && expected.EndsWith("/}", StringComparison.Ordinal)
            ? actual is not null && System.Text.RegularExpressions.Regex.IsMatch(actual, expected[3..^2])
            : actual == expected;

    /// <summary>An assertion's <c>count</c>: one number, <c>$any_of</c> a list of them, or 1 when absent.</summary>
    private static int[] Counts(IDictionary<object, object> assertion) => assertion.TryGetValue("count", out object? count) switch
    {
        false => [1],
        true when count is IDictionary<object, object> anyOf => [.. List(anyOf, "$any_of").Select(c => int.Parse((string)c, System.Globalization.CultureInfo.InvariantCulture))],
        true => [int.Parse((string)count!, System.Globalization.CultureInfo.InvariantCulture)],
    };

    private static int? Int(IDictionary<object, object> map, string key) =>
        map.TryGetValue(key, out object? value) ? int.Parse((string)value, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static bool Bool(IDictionary<object, object> map, string key) =>
        map.TryGetValue(key, out object? value) && (string)value == "true";

    private static IList<object> List(IDictionary<object, object> map, string key) =>
        map.TryGetValue(key, out object? value) && value is IList<object> list ? list : [];

    private static string Describe(object? value) => value switch
    {
        null => "null",
        IDictionary<object, object> map => "{" + string.Join(", ", map.Select(e => $"{e.Key}: {Describe(e.Value)}")) + "}",
        IList<object> list => "[" + string.Join(", ", list.Select(Describe)) + "]",
        _ => value.ToString()!,
    };

    private void Fail(string message) => _failures.Add(message);
}
