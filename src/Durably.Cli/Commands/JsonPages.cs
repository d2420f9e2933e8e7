using System.Text.Json.Nodes;

namespace Durably.Cli.Commands;

/// <summary>Joins the raw JSON of several pages into one document for <c>--json</c>.</summary>
internal static class JsonPages
{
    /// <summary>
    /// One page is returned as the server sent it; several become the first page with every page's
    /// <paramref name="arrayName"/> items, in order, and no <c>NextMarker</c>.
    /// </summary>
    public static string Merge(IReadOnlyList<string> pages, string arrayName)
    {
        ArgumentNullException.ThrowIfNull(pages);
        if (pages.Count == 1)
        {
            return pages[0];
        }

        JsonObject merged = JsonNode.Parse(pages[0])!.AsObject();
        var items = new JsonArray();
        foreach (string page in pages)
        {
            if (JsonNode.Parse(page)?[arrayName] is JsonArray array)
            {
                foreach (JsonNode? item in array.ToArray())
                {
                    array.Remove(item);
                    items.Add(item);
                }
            }
        }

        merged[arrayName] = items;
        merged.Remove("NextMarker");
        return merged.ToJsonString();
    }
}
