using System.Text.RegularExpressions;

namespace Durably.Server.Routing;

/// <summary>
/// The one shape of the names the API takes (function names, execution names, subscription names): 1–64 characters of
/// <c>[a-zA-Z0-9-_]</c>, as Lambda's function and durable execution names (PROTOCOL.md §2).
/// </summary>
internal static partial class ApiNames
{
    /// <summary>What an error message says a valid name is.</summary>
    public const string Rule = "1-64 characters of [a-zA-Z0-9-_]";

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex Pattern();
}
