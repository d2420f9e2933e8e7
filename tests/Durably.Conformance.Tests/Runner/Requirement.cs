using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Durably.Conformance.Runner;

/// <summary>One callback action of a requirement (README: CallbackActions).</summary>
public sealed record CallbackAction(string CallbackName, string Operation, JsonNode? Payload, double DelaySeconds);

/// <summary>A conformance requirement loaded from its YAML file, with its variables substituted.</summary>
public sealed partial class Requirement
{
    private Requirement(string id, string suite, string filePath, JsonObject document, IReadOnlyDictionary<string, string> variables)
    {
        Id = id;
        Suite = suite;
        FilePath = filePath;
        Document = document;
        Variables = variables;
    }

    /// <summary>The id, the file name without extension (e.g. <c>1-17</c>).</summary>
    public string Id { get; }

    /// <summary>The suite folder (e.g. <c>step</c>).</summary>
    public string Suite { get; }

    public string FilePath { get; }

    /// <summary>The whole document after variable substitution.</summary>
    public JsonObject Document { get; }

    /// <summary>The resolved variables (<c>${GEN_STR:N}</c> already generated).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; }

    public string Description => Document["description"]?.GetValue<string>() ?? "";

    public bool Optional => Document["optional"] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.True;

    /// <summary>The execution input (a JSON value; null when absent).</summary>
    public JsonNode? Input => Document["Input"]?.DeepClone();

    /// <summary>ExpectedResult, or null when the requirement ends open (history-only).</summary>
    public JsonObject? ExpectedResult => Document["ExpectedResult"] as JsonObject;

    public JsonArray ExpectedHistory => Document["ExpectedExecutionHistory"] as JsonArray ?? [];

    public JsonArray? ExpectedLogs => Document["ExpectedLogs"] as JsonArray;

    public IReadOnlyList<CallbackAction> CallbackActions
        => (Document["CallbackActions"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(a => new CallbackAction(
                a["CallbackName"]?.GetValue<string>() ?? throw new InvalidDataException($"{Id}: CallbackAction without CallbackName"),
                (a["Operation"]?.GetValue<string>() ?? throw new InvalidDataException($"{Id}: CallbackAction without Operation")).ToLowerInvariant(),
                a["Payload"]?.DeepClone(),
                a["Delay"] is JsonValue delay ? (double)JsonText.Number(delay) : 0))
            .ToList();

    /// <summary>Loads a requirement and substitutes its variables (fresh random strings per call).</summary>
    public static Requirement Load(string filePath)
    {
        string id = Path.GetFileNameWithoutExtension(filePath);
        string suite = Path.GetFileName(Path.GetDirectoryName(filePath)) ?? "";
        JsonObject raw = YamlJson.Load(File.ReadAllText(filePath)) as JsonObject
            ?? throw new InvalidDataException($"{filePath}: not a YAML mapping");

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (raw["Variables"] is JsonObject declared)
        {
            foreach (var (name, value) in declared)
            {
                string text = value is null ? "" : JsonText.AsPythonString(value);
                text = Generator().Replace(text, m => RandomAlphanumeric(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
                variables[name] = SubstituteText(text, variables);
            }
        }

        var document = (JsonObject)Substitute(raw, variables)!;
        return new Requirement(id, suite, filePath, document, variables);
    }

    /// <summary>Substitutes <c>${NAME}</c> of known variables in every string of a tree.</summary>
    public static JsonNode? Substitute(JsonNode? node, IReadOnlyDictionary<string, string> variables)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    copy[key] = Substitute(value, variables);
                }

                return copy;
            case JsonArray array:
                var list = new JsonArray();
                foreach (JsonNode? item in array)
                {
                    list.Add(Substitute(item, variables));
                }

                return list;
            case JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String:
                return JsonValue.Create(SubstituteText(value.GetValue<string>(), variables));
            default:
                return node.DeepClone();
        }
    }

    public static string SubstituteText(string text, IReadOnlyDictionary<string, string> variables)
        => Reference().Replace(text, m => variables.TryGetValue(m.Groups[1].Value, out string? v) ? v : m.Value);

    private static string RandomAlphanumeric(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(length, 0, (span, _) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[Random.Shared.Next(alphabet.Length)];
            }
        });
    }

    public override string ToString() => Id;

    [GeneratedRegex(@"\$\{GEN_STR:(\d+)\}")]
    private static partial Regex Generator();

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Reference();
}

/// <summary>Finds the requirement files: <c>../shared/conformance/requirements</c> beside the repository root.</summary>
public static class RequirementLocator
{
    public const string EnvironmentOverride = "DURABLY_CONFORMANCE_REQUIREMENTS";

    public static string RequirementsDirectory { get; } = Locate();

    private static string Locate()
    {
        string? overridden = Environment.GetEnvironmentVariable(EnvironmentOverride);
        if (!string.IsNullOrEmpty(overridden))
        {
            return Directory.Exists(overridden)
                ? overridden
                : throw new DirectoryNotFoundException($"{EnvironmentOverride}={overridden} does not exist.");
        }

        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Durably.slnx")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new DirectoryNotFoundException(
                $"Could not find the repository root (the folder holding Durably.slnx) above {AppContext.BaseDirectory}.");
        }

        string path = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "conformance", "requirements"));
        return Directory.Exists(path)
            ? path
            : throw new DirectoryNotFoundException(
                $"Conformance requirements not found at {path}: put a copy of shared/ beside the repository clone " +
                $"(or set {EnvironmentOverride}).");
    }

    /// <summary>Every requirement file, ordered by suite number then requirement number.</summary>
    public static IReadOnlyList<string> AllFiles()
        => Directory.EnumerateFiles(RequirementsDirectory, "*.yaml", SearchOption.AllDirectories)
            .OrderBy(f => SortKey(Path.GetFileNameWithoutExtension(f)))
            .ToList();

    public static string FileFor(string id)
        => AllFiles().FirstOrDefault(f => Path.GetFileNameWithoutExtension(f) == id)
            ?? throw new FileNotFoundException($"No requirement {id} under {RequirementsDirectory}.");

    public static (int, int) SortKey(string id)
    {
        string[] parts = id.Split('-');
        return parts.Length == 2 && int.TryParse(parts[0], out int a) && int.TryParse(parts[1], out int b) ? (a, b) : (int.MaxValue, 0);
    }
}
