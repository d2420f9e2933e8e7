using System.Text.Json.Nodes;
using Durably.Conformance.Runner;
using Durably.Protocol;
using Xunit;

namespace Durably.Conformance;

/// <summary>The runner's matcher and loader, without any engine.</summary>
public sealed class MatcherTests
{
    private static JsonArray Yaml(string yaml) => (JsonArray)YamlJson.Load(yaml)!;

    private static List<JsonObject> Actual(params string[] json) => json.Select(j => JsonNode.Parse(j)!.AsObject()).ToList();

    [Fact]
    public void Identical_events_match()
    {
        JsonArray expected = Yaml("""
            - EventType: StepStarted
              EventId: 2
              Id: abc
              SubType: Step
            """);
        Assert.Empty(new HistoryMatcher().Match(expected, Actual("""{"EventType":"StepStarted","EventId":2,"Id":"abc","SubType":"Step","EventTimestamp":1.5,"StepStartedDetails":{}}""")));
    }

    [Fact]
    public void Placeholder_binds_on_first_sight_and_must_agree_after()
    {
        JsonArray expected = Yaml("""
            - EventId: 2
              Id: ${ID1}
            - EventId: 3
              Id: ${ID1}
            """);
        var matcher = new HistoryMatcher();
        Assert.Empty(matcher.Match(expected, Actual("""{"EventId":2,"Id":"a"}""", """{"EventId":3,"Id":"a"}""")));
        Assert.Equal("a", (string?)matcher.Context.Bindings["ID1"]);

        IReadOnlyList<Mismatch> errors = new HistoryMatcher().Match(expected, Actual("""{"EventId":2,"Id":"a"}""", """{"EventId":3,"Id":"b"}"""));
        Mismatch error = Assert.Single(errors);
        Assert.Equal(3, error.EventId);
        Assert.Equal("Id", error.Path);
    }

    [Fact]
    public void Two_placeholders_may_bind_the_same_value_but_one_placeholder_not_two()
    {
        JsonArray expected = Yaml("""
            - EventId: 1
              Id: ${A}
              ParentId: ${B}
            """);
        Assert.Empty(new HistoryMatcher().Match(expected, Actual("""{"EventId":1,"Id":"x","ParentId":"x"}""")));
    }

    [Fact]
    public void Known_variables_are_substituted_inside_literal_strings()
    {
        var context = new PlaceholderContext();
        context.Bind("CB_PAYLOAD", JsonValue.Create("abc"));
        JsonArray expected = Yaml("""
            - EventId: 4
              CallbackSucceededDetails:
                Result:
                  Payload: '"${CB_PAYLOAD}"'
            """);
        Assert.Empty(new HistoryMatcher(context).Match(expected, Actual("""{"EventId":4,"CallbackSucceededDetails":{"Result":{"Payload":"\"abc\""}}}""")));
        Assert.Single(new HistoryMatcher(context).Match(expected, Actual("""{"EventId":4,"CallbackSucceededDetails":{"Result":{"Payload":"abc"}}}""")));
    }

    [Theory]
    [InlineData("'${/^[0-5]$/}'", "3", true)]
    [InlineData("'${/^[0-5]$/}'", "7", false)]
    [InlineData("'${/^([0-9]|10)$/}'", "10", true)]
    [InlineData("'${/.*TransientError$/}'", "\"Durably.Conformance.TransientError\"", true)]
    [InlineData("'${/.*TransientError$/}'", "\"StepError\"", false)]
    public void Regex_matches_the_value_as_text(string pattern, string actualJson, bool matches)
    {
        JsonNode? expected = YamlJson.Load($"v: {pattern}")!["v"];
        IReadOnlyList<Mismatch> errors = new HistoryMatcher().MatchSingle(expected, JsonNode.Parse(actualJson));
        Assert.Equal(matches, errors.Count == 0);
    }

    [Fact]
    public void Star_accepts_any_present_value_but_not_a_missing_key()
    {
        JsonArray expected = Yaml("""
            - EventId: 3
              InvocationCompletedDetails: '*'
              EventTimestamp: '*'
            """);
        Assert.Empty(new HistoryMatcher().Match(expected, Actual("""{"EventId":3,"EventTimestamp":12,"InvocationCompletedDetails":{"RequestId":"r"}}""")));
        Mismatch missing = Assert.Single(new HistoryMatcher().Match(expected, Actual("""{"EventId":3,"EventTimestamp":12}""")));
        Assert.Equal("InvocationCompletedDetails", missing.Path);
    }

    [Fact]
    public void Empty_object_means_do_not_care_even_when_absent_or_different()
    {
        JsonArray expected = Yaml("""
            - EventId: 3
              StepSucceededDetails: {}
            """);
        Assert.Empty(new HistoryMatcher().Match(expected, Actual("""{"EventId":3,"StepSucceededDetails":{"Result":{"Payload":"1"}}}""")));
        Assert.Empty(new HistoryMatcher().Match(expected, Actual("""{"EventId":3,"StepSucceededDetails":"x"}""")));
    }

    [Fact]
    public void Extra_actual_keys_and_events_are_ignored_but_missing_events_are_reported()
    {
        JsonArray expected = Yaml("""
            - EventId: 2
              EventType: WaitStarted
            - EventId: 9
              EventType: ExecutionSucceeded
            """);
        IReadOnlyList<Mismatch> errors = new HistoryMatcher().Match(expected,
            Actual("""{"EventId":2,"EventType":"WaitStarted","Name":"n"}""", """{"EventId":3,"EventType":"InvocationCompleted"}"""));
        Mismatch error = Assert.Single(errors);
        Assert.Equal(9, error.EventId);
        Assert.Contains("no actual event", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Literals_compare_with_json_semantics()
    {
        JsonArray expected = Yaml("""
            - EventId: 2
              WaitStartedDetails:
                Duration: 60
              SubType: Wait
            """);
        Assert.Empty(new HistoryMatcher().Match(expected, Actual("""{"EventId":2,"SubType":"Wait","WaitStartedDetails":{"Duration":60.0}}""")));
        IReadOnlyList<Mismatch> errors = new HistoryMatcher().Match(expected, Actual("""{"EventId":2,"SubType":"Wait","WaitStartedDetails":{"Duration":"60"}}"""));
        Assert.Equal("WaitStartedDetails.Duration", Assert.Single(errors).Path);
    }

    [Fact]
    public void Yaml_scalars_follow_pyyaml_typing()
    {
        JsonObject doc = (JsonObject)YamlJson.Load("""
            a: World
            b: 3
            c: '42'
            d:
            e: null
            f: true
            g: 1.5
            h: '"quoted"'
            """)!;
        Assert.Equal("World", (string?)doc["a"]);
        Assert.Equal(3, (int)doc["b"]!);
        Assert.Equal("42", (string?)doc["c"]);
        Assert.Null(doc["d"]);
        Assert.True(doc.ContainsKey("d"));
        Assert.Null(doc["e"]);
        Assert.True((bool)doc["f"]!);
        Assert.Equal(1.5, (double)doc["g"]!);
        Assert.Equal("\"quoted\"", (string?)doc["h"]);
    }

    [Fact]
    public void Python_dumps_uses_python_separators()
    {
        Assert.Equal("{\"status\": \"approved\"}", JsonText.PythonDumps(JsonNode.Parse("""{"status":"approved"}""")));
        Assert.Equal("\"abc\"", JsonText.PythonDumps(JsonValue.Create("abc")));
        Assert.Equal("42", JsonText.PythonDumps(JsonValue.Create(42)));
        Assert.Equal("[1, \"a\", null, true]", JsonText.PythonDumps(JsonNode.Parse("""[1,"a",null,true]""")));
    }

    [Fact]
    public void Unnamed_children_of_a_wait_for_callback_context_take_its_name()
    {
        List<JsonObject> events = Actual(
            """{"EventId":2,"EventType":"ContextStarted","SubType":"WaitForCallback","Id":"p","Name":"approval"}""",
            """{"EventId":3,"EventType":"CallbackStarted","SubType":"Callback","Id":"c","ParentId":"p"}""",
            """{"EventId":4,"EventType":"StepStarted","SubType":"Step","Id":"s","ParentId":"p","Name":"own"}""",
            """{"EventId":5,"EventType":"StepStarted","SubType":"Step","Id":"t","ParentId":"other"}""");
        ConformanceRunner.InheritWaitForCallbackNames(events);
        Assert.Equal("approval", (string?)events[1]["Name"]);
        Assert.Equal("own", (string?)events[2]["Name"]);
        Assert.Null(events[3]["Name"]);
    }

    [Fact]
    public void Wire_serialization_of_history_events_uses_wire_names()
    {
        var history = new List<HistoryEvent>
        {
            new()
            {
                EventType = HistoryEventTypes.WaitStarted, EventId = 2, EventTimestamp = DateTimeOffset.UnixEpoch, Id = "w", SubType = "Wait",
                Details = new HistoryEventDetails { Duration = 60 },
            },
        };
        JsonObject e = Assert.Single(ConformanceRunner.ToWire(history));
        Assert.Equal(60, (int)e["WaitStartedDetails"]!["Duration"]!);
        Assert.False(e.ContainsKey("Name"));
    }

    [Fact]
    public void Requirement_variables_are_generated_and_substituted()
    {
        string file = Path.Combine(Path.GetTempPath(), $"req-{Guid.NewGuid():N}", "step", "1-99.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, """
            description: test
            Variables:
              INPUT_1: ${GEN_STR:8}
            Input: ${INPUT_1}
            ExpectedResult:
              ExecutionStatus: SUCCEEDED
              Result: 'Hello, ${INPUT_1}!'
            ExpectedExecutionHistory:
              - EventId: 2
                Id: ${ID1}
            """);
        Requirement requirement = Requirement.Load(file);
        string value = requirement.Variables["INPUT_1"];
        Assert.Matches("^[A-Za-z0-9]{8}$", value);
        Assert.Equal(value, (string?)requirement.Input);
        Assert.Equal($"Hello, {value}!", (string?)requirement.ExpectedResult!["Result"]);
        Assert.Equal("${ID1}", (string?)requirement.ExpectedHistory[0]!["Id"]);
        Assert.Equal("1-99", requirement.Id);
        Assert.Equal("step", requirement.Suite);
    }

    [Fact]
    public void Every_requirement_file_loads_and_has_a_handler_or_a_reason()
    {
        IReadOnlyList<string> files = RequirementLocator.AllFiles();
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            Requirement requirement = Requirement.Load(file);
            Assert.True(Handlers.HandlerCatalog.Has(requirement.Id) || NotImplemented.Reasons.ContainsKey(requirement.Id),
                $"Requirement {requirement.Id} has neither a handler nor a not-implemented reason.");
        }
    }
}
