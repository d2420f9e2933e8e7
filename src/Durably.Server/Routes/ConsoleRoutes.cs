using Durably.Engine;
using Durably.Protocol;
using Durably.Server.Routing;
using Microsoft.AspNetCore.Http;

namespace Durably.Server.Routes;

/// <summary>
/// Durably's read routes for the web console (docs/server.md): <c>GET /durably/functions</c> (every registered version
/// with its kind and configuration) and <c>GET /durably/functions/{FunctionName}/counts</c> (executions per status).
/// </summary>
internal sealed class ConsoleRoutes(DurableEngine engine)
{
    public Task ListFunctionsAsync(HttpContext context) =>
        ApiResponses.WriteJsonAsync(context, new FunctionDetailsResponse([.. engine.Functions.GetAll().Select(function => new FunctionDetails(
            function.Name,
            function.Version,
            function.Url is null ? "Code" : "Http",
            function.Url?.AbsoluteUri,
            (int)Math.Ceiling(function.ExecutionTimeout.TotalSeconds),
            function.RetentionPeriodInDays,
            (int)Math.Ceiling(function.InvocationTimeout.TotalSeconds)))]));

    public async Task CountAsync(HttpContext context, string functionName)
    {
        var function = FunctionReference.Parse(functionName, new QueryParameters(context.Request.Query).GetString("Qualifier"));
        IReadOnlyList<VersionExecutionCounts> versions = await engine.CountExecutionsAsync(function.Name, function.Qualifier, context.RequestAborted).ConfigureAwait(false);
        Dictionary<string, long> total = ByName(Enum.GetValues<ExecutionStatus>().ToDictionary(status => status, status => versions.Sum(version => version.Counts[status])));
        await ApiResponses.WriteJsonAsync(context, new CountsResponse(function.Name, total,
            [.. versions.Select(version => new VersionCounts(version.Version, version.Hosted, ByName(version.Counts)))])).ConfigureAwait(false);
    }

    /// <summary>Counts keyed by the status names of the API (<c>RUNNING</c>, <c>TIMED_OUT</c> …).</summary>
    private static Dictionary<string, long> ByName(IReadOnlyDictionary<ExecutionStatus, long> counts) =>
        counts.ToDictionary(pair => System.Text.Json.JsonSerializer.Serialize(pair.Key, DurablyJson.Api)[1..^1], pair => pair.Value, StringComparer.Ordinal);

    /// <summary>One registered version: Kind is <c>Code</c> or <c>Http</c> (with its Url); timeouts in seconds.</summary>
    private sealed record FunctionDetails(
        string FunctionName, string Version, string Kind, string? Url, int ExecutionTimeout, int RetentionPeriodInDays, int InvocationTimeout);

    private sealed record FunctionDetailsResponse(IReadOnlyList<FunctionDetails> Functions);

    private sealed record VersionCounts(string Version, bool Hosted, IReadOnlyDictionary<string, long> Counts);

    private sealed record CountsResponse(string FunctionName, IReadOnlyDictionary<string, long> Counts, IReadOnlyList<VersionCounts> Versions);
}
