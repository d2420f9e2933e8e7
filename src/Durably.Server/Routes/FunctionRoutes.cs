using System.Globalization;
using Durably.Engine;
using Durably.Protocol;
using Durably.Server.Routing;
using Microsoft.AspNetCore.Http;

namespace Durably.Server.Routes;

/// <summary>
/// Lambda's ListFunctions and ListVersionsByFunction over the registered functions. Every registered
/// version is a published version; the default listing shows each function's <c>$LATEST</c> (its most
/// recently registered version, reported with that concrete version), <c>FunctionVersion=ALL</c> every version.
/// </summary>
internal sealed class FunctionRoutes(DurableEngine engine, DurablyOptions options)
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 10_000;

    public Task ListFunctionsAsync(HttpContext context)
    {
        var query = new QueryParameters(context.Request.Query);
        string? functionVersion = query.GetString("FunctionVersion");
        if (functionVersion is not null and not "ALL")
        {
            throw ApiErrors.InvalidParameter($"FunctionVersion must be ALL; got '{QueryParameters.Shorten(functionVersion)}'.");
        }

        IReadOnlyList<RegisteredFunction> all = engine.Functions.GetAll();
        IEnumerable<RegisteredFunction> listed = functionVersion is null
            ? all.GroupBy(function => function.Name, StringComparer.Ordinal).Select(versions => versions.Last())
            : all;
        (List<FunctionConfiguration> page, string? nextMarker) = Page(listed.ToList(), query);
        return ApiResponses.WriteJsonAsync(context, new ListFunctionsResponse(page, nextMarker));
    }

    public Task ListVersionsAsync(HttpContext context, string functionName)
    {
        var query = new QueryParameters(context.Request.Query);
        var function = FunctionReference.Parse(functionName, qualifier: null);
        if (function.Qualifier is not null)
        {
            throw ApiErrors.InvalidParameter("ListVersionsByFunction takes an unqualified FunctionName.");
        }

        List<RegisteredFunction> versions = [.. engine.Functions.GetAll().Where(registered => registered.Name == function.Name)];
        if (versions.Count == 0)
        {
            throw ServiceErrorCodes.NotFound($"Function not found: {FunctionArn(function.Name, null)}");
        }

        (List<FunctionConfiguration> page, string? nextMarker) = Page(versions, query);
        return ApiResponses.WriteJsonAsync(context, new ListVersionsByFunctionResponse(page, nextMarker));
    }

    private (List<FunctionConfiguration> Page, string? NextMarker) Page(List<RegisteredFunction> functions, QueryParameters query)
    {
        int offset = 0;
        if (query.GetString("Marker") is { } marker
            && (!int.TryParse(marker, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset > functions.Count))
        {
            throw ApiErrors.InvalidParameter($"Marker '{QueryParameters.Shorten(marker)}' is not valid.");
        }

        int pageSize = query.GetInt32("MaxItems", 1, MaxPageSize) ?? DefaultPageSize;
        List<FunctionConfiguration> page = [.. functions.Skip(offset).Take(pageSize).Select(Describe)];
        int next = offset + page.Count;
        return (page, next < functions.Count ? next.ToString(CultureInfo.InvariantCulture) : null);
    }

    private FunctionConfiguration Describe(RegisteredFunction function) => new(
        function.Name,
        FunctionArn(function.Name, function.Version),
        function.Version,
        new DurableConfig
        {
            ExecutionTimeout = (int)Math.Ceiling(function.ExecutionTimeout.TotalSeconds),
            RetentionPeriodInDays = function.RetentionPeriodInDays,
        });

    private string FunctionArn(string name, string? version) =>
        $"arn:aws:lambda:{options.Region}:{options.Account}:function:{name}{(version is null ? "" : ":" + version)}";

    /// <summary>Lambda's FunctionConfiguration, the fields Durably knows.</summary>
    private sealed record FunctionConfiguration(string FunctionName, string FunctionArn, string Version, DurableConfig DurableConfig);

    private sealed record ListFunctionsResponse(IReadOnlyList<FunctionConfiguration> Functions, string? NextMarker);

    private sealed record ListVersionsByFunctionResponse(IReadOnlyList<FunctionConfiguration> Versions, string? NextMarker);
}
