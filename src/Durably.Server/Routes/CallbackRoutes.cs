using System.Text.RegularExpressions;
using Durably.Engine;
using Durably.Protocol;
using Durably.Server.Routing;
using Microsoft.AspNetCore.Http;

namespace Durably.Server.Routes;

/// <summary>SendDurableExecutionCallbackSuccess, Failure and Heartbeat (PROTOCOL.md §2.7); each answers <c>{}</c>.</summary>
internal sealed partial class CallbackRoutes(DurableEngine engine)
{
    /// <summary>The callback result and failure bodies are bounded by the operation payload limit (PROTOCOL.md §3.5).</summary>
    public const int MaxBodyBytes = 262_144;

    [GeneratedRegex("^[A-Za-z0-9+/]{1,1024}={0,2}$")]
    private static partial Regex CallbackIdPattern();

    /// <summary>The raw body is the result, stored verbatim as UTF-8 text; an empty body is no result.</summary>
    public async Task SucceedAsync(HttpContext context, string callbackId)
    {
        CheckCallbackId(callbackId);
        string? result = await RequestBody.ReadTextAsync(context, MaxBodyBytes, "The callback result").ConfigureAwait(false);
        await engine.SendCallbackSuccessAsync(callbackId, result, context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.WriteEmptyObjectAsync(context).ConfigureAwait(false);
    }

    /// <summary>The body is an ErrorObject; an empty body is an error with every field absent.</summary>
    public async Task FailAsync(HttpContext context, string callbackId)
    {
        CheckCallbackId(callbackId);
        ErrorObject error = await RequestBody.ReadJsonAsync<ErrorObject>(context, MaxBodyBytes, "The callback failure body (an ErrorObject)").ConfigureAwait(false)
            ?? new ErrorObject();
        await engine.SendCallbackFailureAsync(callbackId, error, context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.WriteEmptyObjectAsync(context).ConfigureAwait(false);
    }

    public async Task HeartbeatAsync(HttpContext context, string callbackId)
    {
        CheckCallbackId(callbackId);
        await engine.SendCallbackHeartbeatAsync(callbackId, context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.WriteEmptyObjectAsync(context).ConfigureAwait(false);
    }

    private static void CheckCallbackId(string callbackId)
    {
        if (callbackId.Length > 1024 || !CallbackIdPattern().IsMatch(callbackId))
        {
            throw ApiErrors.InvalidParameter(
                $"CallbackId '{QueryParameters.Shorten(callbackId)}' is invalid: it must be 1-1024 characters of the base64 alphabet [A-Za-z0-9+/], optionally followed by '='.");
        }
    }
}
