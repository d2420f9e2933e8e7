using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Durably.Conformance.Runner;

/// <summary>
/// Converts YAML documents to <see cref="JsonNode"/> trees with the scalar typing of PyYAML's
/// <c>safe_load</c> (the loader AWS's runner uses): plain scalars become null, booleans, integers or
/// floats when they look like one, quoted and block scalars are always strings.
/// </summary>
public static partial class YamlJson
{
    public static JsonNode? Load(string yamlText)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(yamlText);
        stream.Load(reader);
        if (stream.Documents.Count == 0)
        {
            return null;
        }

        return Convert(stream.Documents[0].RootNode);
    }

    public static JsonNode? Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    string name = key is YamlScalarNode scalarKey ? scalarKey.Value ?? "" : key.ToString();
                    obj[name] = Convert(value);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (YamlNode child in sequence.Children)
                {
                    array.Add(Convert(child));
                }

                return array;
            case YamlScalarNode scalar:
                return ConvertScalar(scalar);
            default:
                throw new InvalidOperationException($"Unsupported YAML node {node.NodeType} at {node.Start}.");
        }
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        string value = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(value);
        }

        if (value.Length == 0 || value is "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (value is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (value is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (IntPattern().IsMatch(value) && long.TryParse(value.Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
        {
            return JsonNode.Parse(l.ToString(CultureInfo.InvariantCulture));
        }

        if (FloatPattern().IsMatch(value) && double.TryParse(value.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
        {
            return JsonNode.Parse(d.ToString("R", CultureInfo.InvariantCulture));
        }

        return JsonValue.Create(value);
    }

    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
