using System.Text.Json;
using System.Text.Json.Nodes;
using Durably.Engine;
using Durably.Protocol;

namespace Durably.Server.Routes;

/// <summary>
/// <c>IncludeWaitingOn=true</c> on ListDurableExecutionsByFunction (docs/server.md): each RUNNING item gains a
/// <c>WaitingOn</c> array of its open operations. Read per running item, so only when asked.
/// </summary>
internal static class WaitingOnList
{
    public static async Task<JsonNode> AddAsync(DurableEngine engine, DurableExecutionPage page, CancellationToken cancellationToken)
    {
        JsonNode answer = JsonSerializer.SerializeToNode(page, DurablyJson.Api)!;
        JsonArray items = answer[nameof(DurableExecutionPage.DurableExecutions)]!.AsArray();
        for (int index = 0; index < page.DurableExecutions.Count; index++)
        {
            DurableExecutionSummary execution = page.DurableExecutions[index];
            if (execution.Status != ExecutionStatus.Running)
            {
                continue;
            }

            IReadOnlyList<WaitingOn> waitingOn;
            try
            {
                waitingOn = await engine.GetWaitingOnAsync(execution.DurableExecutionArn, cancellationToken).ConfigureAwait(false);
            }
            catch (DurableServiceException error) when (error.StatusCode == 404)
            {
                // Purged since the page was read: it waits on nothing any more.
                waitingOn = [];
            }

            items[index]!["WaitingOn"] = JsonSerializer.SerializeToNode(waitingOn, DurablyJson.Api);
        }

        return answer;
    }
}
