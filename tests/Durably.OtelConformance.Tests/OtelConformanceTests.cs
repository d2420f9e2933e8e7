using System.Text.RegularExpressions;
using Durably.Protocol;
using Durably.Telemetry;
using Xunit;
using YamlDotNet.Serialization;

namespace Durably.OtelConformance;

/// <summary>
/// Every OTel conformance requirement of ../shared/otel-conformance/requirements, run on a real server with
/// its view switched on, its spans validated against the file's assertions. A requirement either passes or
/// is listed in <see cref="KnownFailures"/> (and docs/observability.md) with the reason; an unlisted failure
/// and a listed requirement that now passes both fail the test. Each run traces its function in the file's view
/// (<c>DurableFunctionRegistration.Tracing</c>).
/// </summary>
[Collection(SpanCollection.Name)]
public sealed partial class OtelConformanceTests
{
    /// <summary>Requirements that do not pass yet, with why (mirrored in docs/observability.md).</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownFailures = new Dictionary<string, string>();  // none: all 38 pass

    public static TheoryData<string> Files() => [.. Directory.EnumerateFiles(RequirementsDirectory, "*.yaml", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(RequirementsDirectory, f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Requirement_holds(string file)
    {
        string id = Path.GetFileNameWithoutExtension(file);
        var requirement = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(File.ReadAllText(Path.Combine(RequirementsDirectory, file)));
        // Long-running scenarios wait a day; fake time makes that instant.
        var input = ((Dictionary<object, object>)requirement["Input"]).ToDictionary(e => (string)e.Key, e => ((string)e.Value).Replace("${LONG_DELAY_SECONDS}", "86400", StringComparison.Ordinal));
        List<string> failures = [];
        if (!OtelHandlers.ByScenario.ContainsKey(input["scenario"]))
        {
            failures.Add($"no handler for scenario {input["scenario"]}");
        }
        else
        {
            failures.AddRange(await EvaluateAsync(id, requirement, input));
        }

        if (KnownFailures.TryGetValue(id, out string? reason))
        {
            Assert.True(failures.Count > 0, $"{id} passes now: remove it from the known failures ({reason}).");
            return;
        }

        Assert.True(failures.Count == 0, $"{id}:\n" + string.Join("\n", failures));
    }

    private static async Task<List<string>> EvaluateAsync(string id, Dictionary<object, object> requirement, Dictionary<string, string> input)
    {
        List<(string Key, DurableTraceViews View)> views = [];
        if (requirement.ContainsKey("TelemetryAssertions"))
        {
            views.Add(("TelemetryAssertions", id.StartsWith("otel-execution", StringComparison.Ordinal) ? DurableTraceViews.Execution : DurableTraceViews.Invocation));
        }

        if (requirement.ContainsKey("ExecutionTelemetryAssertions"))
        {
            views.Add(("ExecutionTelemetryAssertions", DurableTraceViews.Execution));
        }

        List<string> failures = [];
        foreach ((string key, DurableTraceViews view) in views)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            OtelScenarioHost.Run run = await OtelScenarioHost.RunAsync(input, timeout.Token, view, CallbackActions(requirement));
            Dictionary<string, string> bindings = Bind(requirement, run);
            var assertions = (IDictionary<object, object>)Substitute(requirement[key], bindings)!;
            failures.AddRange(TelemetryValidator.Validate(assertions, run.Spans, run.ExecutionArn).Select(f => $"{key}: {f}"));
            string expectedStatus = (string)((Dictionary<object, object>)requirement["ExpectedResult"])["ExecutionStatus"];
            if (System.Text.Json.JsonNamingPolicy.SnakeCaseUpper.ConvertName(run.Status.ToString()) != expectedStatus)
            {
                failures.Add($"execution ended {run.Status}, wanted {expectedStatus}");
            }
        }

        return failures;
    }

    /// <summary>The requirement's <c>CallbackActions</c> (none when it has no such key).</summary>
    private static List<OtelScenarioHost.CallbackAction> CallbackActions(Dictionary<object, object> requirement) =>
        requirement.TryGetValue("CallbackActions", out object? actions)
            ? [.. ((List<object>)actions).Cast<Dictionary<object, object>>().Select(a => new OtelScenarioHost.CallbackAction(
                (string)a["CallbackName"], (string)a["Operation"], (string)a["Payload"], TimeSpan.FromSeconds(double.Parse((string)a["Delay"], System.Globalization.CultureInfo.InvariantCulture))))]
            : [];

    /// <summary>Binds <c>${EXECUTION_ARN}</c>, <c>${SERVICE_NAME}</c> and each <c>Id: ${X}</c> of the expected history to the actual event of that type and name.</summary>
    private static Dictionary<string, string> Bind(Dictionary<object, object> requirement, OtelScenarioHost.Run run)
    {
        Dictionary<string, string> bindings = new()
        {
            ["EXECUTION_ARN"] = run.ExecutionArn,
            ["SERVICE_NAME"] = OtelScenarioHost.ServiceName,
        };
        foreach (Dictionary<object, object> expected in ((List<object>)requirement["ExpectedExecutionHistory"]).Cast<Dictionary<object, object>>())
        {
            if (expected.TryGetValue("Id", out object? id) && Placeholder().Match((string)id) is { Success: true } match)
            {
                string? name = expected.TryGetValue("Name", out object? n) ? (string)n : null;
                string? parentId = expected.TryGetValue("ParentId", out object? p) ? Substitute(p, bindings) as string : null;
                HistoryEvent? actual = run.History.FirstOrDefault(e => e.EventType == (string)expected["EventType"]
                    && (name is null ? e.Name is null : TelemetryValidator.TextMatches(e.Name, name)))
                    // A file that leaves the name out of an event whose operation is named (otel-long-running-3): its parent decides.
                    ?? (name is null && parentId is not null ? run.History.FirstOrDefault(e => e.EventType == (string)expected["EventType"] && e.ParentId == parentId) : null);
                if (actual?.Id is not null)
                {
                    bindings.TryAdd(match.Groups[1].Value, actual.Id);
                }

                BindDetails(expected, actual, bindings);
            }
        }

        return bindings;
    }

    /// <summary>Binds placeholders in an expected event's details (<c>ChainedInvokeStartedDetails: {DurableExecutionArn: ${X}}</c>).</summary>
    private static void BindDetails(Dictionary<object, object> expected, HistoryEvent? actual, Dictionary<string, string> bindings)
    {
        if (actual is null)
        {
            return;
        }

        System.Text.Json.JsonElement details = System.Text.Json.JsonSerializer.SerializeToElement(actual.Details);
        foreach (Dictionary<object, object> map in expected.Where(e => ((string)e.Key).EndsWith("Details", StringComparison.Ordinal)).Select(e => e.Value).OfType<Dictionary<object, object>>())
        {
            foreach ((object key, object value) in map)
            {
                if (value is string text && Placeholder().Match(text) is { Success: true } placeholder
                    && details.TryGetProperty((string)key, out System.Text.Json.JsonElement bound) && bound.ValueKind == System.Text.Json.JsonValueKind.String)
                {
                    bindings.TryAdd(placeholder.Groups[1].Value, bound.GetString()!);
                }
            }
        }
    }

    /// <summary>A copy of the YAML tree with every bound placeholder replaced.</summary>
    private static object? Substitute(object? node, Dictionary<string, string> bindings) => node switch
    {
        string text => Placeholder().Replace(text, m => bindings.GetValueOrDefault(m.Groups[1].Value, m.Value)),
        Dictionary<object, object> map => map.ToDictionary(e => e.Key, e => Substitute(e.Value, bindings)!),
        List<object> list => list.Select(i => Substitute(i, bindings)!).ToList(),
        _ => node,
    };

    [GeneratedRegex(@"\$\{([A-Z0-9_]+)\}")]
    private static partial Regex Placeholder();

    private static string RequirementsDirectory { get; } = LocateRequirements();

    private static string LocateRequirements()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Durably.slnx")))
        {
            directory = directory.Parent;
        }

        string path = Path.GetFullPath(Path.Combine(directory?.FullName ?? ".", "..", "shared", "otel-conformance", "requirements"));
        return Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"OTel conformance requirements not found at {path}.");
    }
}
