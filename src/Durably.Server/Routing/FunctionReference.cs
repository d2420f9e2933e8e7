using System.Text.RegularExpressions;

namespace Durably.Server.Routing;

/// <summary>
/// A <c>FunctionName</c> path parameter: a name, <c>name:qualifier</c>, or a (partial) function ARN
/// such as <c>arn:aws:lambda:local:000000000000:function:name:2</c>; validated as Lambda does (400).
/// </summary>
internal sealed partial record FunctionReference(string Name, string? Qualifier)
{
    private const string FunctionMarker = "function:";

    [GeneratedRegex("^(\\$LATEST|[a-zA-Z0-9_-]{1,128})$")]
    private static partial Regex QualifierPattern();

    /// <summary>Parses <paramref name="functionName"/> and merges a separate <c>Qualifier</c> parameter into it.</summary>
    public static FunctionReference Parse(string functionName, string? qualifier)
    {
        if (functionName.Length is 0 or > 140)
        {
            throw ApiErrors.InvalidParameter($"FunctionName must be 1-140 characters; got {functionName.Length}.");
        }

        string reference = functionName;
        int marker = reference.IndexOf(FunctionMarker, StringComparison.Ordinal);
        if (marker >= 0 && (marker == 0 || reference[marker - 1] == ':'))
        {
            reference = reference[(marker + FunctionMarker.Length)..];
        }

        int colon = reference.IndexOf(':', StringComparison.Ordinal);
        string name = colon < 0 ? reference : reference[..colon];
        string? derived = colon < 0 ? null : reference[(colon + 1)..];
        if (!ApiNames.IsValid(name))
        {
            throw ApiErrors.InvalidParameter($"FunctionName '{QueryParameters.Shorten(functionName)}' is invalid: the name must be {ApiNames.Rule}.");
        }

        CheckQualifier(derived);
        CheckQualifier(qualifier);
        if (derived is not null && qualifier is not null && derived != qualifier)
        {
            throw ApiErrors.InvalidParameter("The derived qualifier from the function name does not match the specified qualifier.");
        }

        return new FunctionReference(name, qualifier ?? derived);
    }

    private static void CheckQualifier(string? qualifier)
    {
        if (qualifier is not null && !QualifierPattern().IsMatch(qualifier))
        {
            throw ApiErrors.InvalidParameter($"Qualifier '{QueryParameters.Shorten(qualifier)}' is invalid: it must be $LATEST or 1-128 characters of [a-zA-Z0-9-_].");
        }
    }
}
