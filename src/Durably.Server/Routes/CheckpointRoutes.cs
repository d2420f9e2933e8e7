using Durably.Engine;
using Durably.Protocol;
using Durably.Server.Routing;
using Microsoft.AspNetCore.Http;

namespace Durably.Server.Routes;

/// <summary>The data plane the SDKs call: CheckpointDurableExecution and GetDurableExecutionState (PROTOCOL.md §2.8–2.9).</summary>
internal sealed class CheckpointRoutes(DurableEngine engine)
{
    /// <summary>
    /// A checkpoint request's bound: SDKs send at most 750 KB, each operation payload at most 256 KiB;
    /// 6 MiB (Lambda's synchronous payload limit) leaves room without letting a body grow without end.
    /// </summary>
    public const int MaxCheckpointBodyBytes = 6 * 1024 * 1024;

    private const int MaxPageSize = 1000;

    public async Task CheckpointAsync(HttpContext context, string durableExecutionArn)
    {
        byte[] body = await RequestBody.ReadBytesAsync(context, MaxCheckpointBodyBytes, "The checkpoint request body").ConfigureAwait(false);
        if (body.Length == 0)
        {
            throw ApiErrors.InvalidParameter("The checkpoint request body is empty; it must be a JSON object with a CheckpointToken.");
        }

        CheckpointDurableExecutionRequest request = RequestBody.ParseJson<CheckpointDurableExecutionRequest>(body, "The checkpoint request body");
        IReadOnlyList<OperationUpdate> updates = request.Updates ?? [];
        for (int index = 0; index < updates.Count; index++)
        {
            if (updates[index] is null)
            {
                throw ApiErrors.InvalidParameter($"Updates[{index}] is null; every update must be an OperationUpdate object.");
            }
        }

        CheckpointDurableExecutionResponse response = await engine.CheckpointAsync(
            request with { DurableExecutionArn = durableExecutionArn }, context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.WriteJsonAsync(context, response).ConfigureAwait(false);
    }

    public async Task GetStateAsync(HttpContext context, string durableExecutionArn)
    {
        var query = new QueryParameters(context.Request.Query);
        GetDurableExecutionStateResponse response = await engine.GetExecutionStateAsync(new GetDurableExecutionStateRequest
        {
            DurableExecutionArn = durableExecutionArn,
            CheckpointToken = query.GetString("CheckpointToken") ?? "",
            Marker = query.GetString("Marker"),
            MaxItems = query.GetInt32("MaxItems", 0, MaxPageSize),
        }, context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.WriteJsonAsync(context, response).ConfigureAwait(false);
    }
}
