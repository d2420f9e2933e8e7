using System.Text.RegularExpressions;
using Durably.Engine;
using Durably.Protocol;
using Durably.Server.Routing;
using Microsoft.AspNetCore.Http;

namespace Durably.Server.Routes;

/// <summary>GetDurableExecution, ListDurableExecutionsByFunction, GetDurableExecutionHistory, StopDurableExecution (PROTOCOL.md §2.3–2.6).</summary>
internal sealed partial class ExecutionRoutes(DurableEngine engine)
{
    /// <summary>The stop body is an ErrorObject, bounded like every error object (PROTOCOL.md §3.5).</summary>
    public const int MaxStopBodyBytes = 262_144;

    private const int MaxPageSize = 1000;

    public async Task GetAsync(HttpContext context, string durableExecutionArn)
    {
        var query = new QueryParameters(context.Request.Query);
        bool includeExecutionData = query.GetBoolean("IncludeExecutionData") ?? true;
        DurableExecutionDescription execution = await engine.GetExecutionAsync(durableExecutionArn, includeExecutionData, context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.WriteJsonAsync(context, execution).ConfigureAwait(false);
    }

    public async Task ListAsync(HttpContext context, string functionName)
    {
        var query = new QueryParameters(context.Request.Query);
        var function = FunctionReference.Parse(functionName, query.GetString("Qualifier"));
        string? executionName = query.GetString("DurableExecutionName");
        if (executionName is not null && !ApiNames.IsValid(executionName))
        {
            throw ApiErrors.InvalidParameter(
                $"DurableExecutionName '{QueryParameters.Shorten(executionName)}' is invalid: it must be {ApiNames.Rule}.");
        }

        DurableExecutionPage page = await engine.ListExecutionsAsync(new ListDurableExecutionsRequest
        {
            FunctionName = function.Name,
            Qualifier = function.Qualifier,
            DurableExecutionName = executionName,
            DurableExecutionNamePrefix = query.GetString("DurableExecutionNamePrefix"),
            Statuses = query.GetStatuses("Statuses"),
            StartedAfter = query.GetTimestamp("StartedAfter"),
            StartedBefore = query.GetTimestamp("StartedBefore"),
            ReverseOrder = query.GetBoolean("ReverseOrder") ?? false,
            Marker = query.GetString("Marker"),
            MaxItems = query.GetInt32("MaxItems", 0, MaxPageSize),
        }, context.RequestAborted).ConfigureAwait(false);
        if (query.GetBoolean("IncludeWaitingOn") == true)
        {
            await ApiResponses.WriteJsonAsync(context, await WaitingOnList.AddAsync(engine, page, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
            return;
        }

        await ApiResponses.WriteJsonAsync(context, page).ConfigureAwait(false);
    }

    public async Task GetHistoryAsync(HttpContext context, string durableExecutionArn)
    {
        var query = new QueryParameters(context.Request.Query);
        HistoryPage page = await engine.GetHistoryAsync(
            durableExecutionArn,
            query.GetString("Marker"),
            query.GetInt32("MaxItems", 0, MaxPageSize),
            query.GetBoolean("ReverseOrder") ?? false,
            query.GetBoolean("IncludeExecutionData") ?? true,
            context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.WriteJsonAsync(context, page).ConfigureAwait(false);
    }

    /// <summary>Durably's export: the execution, its operations and its history in one document (docs/server.md).</summary>
    public async Task ExportAsync(HttpContext context, string durableExecutionArn)
    {
        ExecutionExport export = await engine.ExportExecutionAsync(durableExecutionArn, context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.WriteJsonAsync(context, export).ConfigureAwait(false);
    }

    public async Task StopAsync(HttpContext context, string durableExecutionArn)
    {
        ErrorObject? error = await RequestBody.ReadJsonAsync<ErrorObject>(context, MaxStopBodyBytes, "The stop request body (an ErrorObject)").ConfigureAwait(false);
        DateTimeOffset stopped = await engine.StopExecutionAsync(durableExecutionArn, error, context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.WriteJsonAsync(context, new StopDurableExecutionResponse(stopped)).ConfigureAwait(false);
    }

    /// <summary>StopDurableExecution's answer.</summary>
    /// <param name="StopTimestamp">When the execution stopped (or had already closed).</param>
    private sealed record StopDurableExecutionResponse(DateTimeOffset StopTimestamp);
}
