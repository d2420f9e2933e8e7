using Microsoft.AspNetCore.Http;

namespace Durably.Server.Routing;

/// <summary>What a raw path names: the operation, the method it takes, and its still-encoded path parameter.</summary>
/// <param name="Operation">The operation.</param>
/// <param name="Method">The only HTTP method it accepts.</param>
/// <param name="RawParameter">The percent-encoded path parameter (ARN, callback id or function name), if any.</param>
internal sealed record ApiRoute(ApiOperation Operation, string Method, string? RawParameter);

/// <summary>
/// Routes on the raw (still percent-encoded) path by known prefix and suffix, never by splitting on
/// <c>/</c>: an execution ARN contains <c>/</c>, encoded or not (PROTOCOL.md §1).
/// </summary>
internal static class ApiRouter
{
    public const string DurablePrefix = "/2025-12-01/";
    public const string LambdaPrefix = "/2015-03-31/";

    /// <summary>Durably's own administration routes, which Lambda's API has no equivalent of.</summary>
    public const string AdminPrefix = "/durably/";

    private const string Executions = DurablePrefix + "durable-executions/";
    private const string Callbacks = DurablePrefix + "durable-execution-callbacks/";
    private const string DurableFunctions = DurablePrefix + "functions/";
    private const string LambdaFunctions = LambdaPrefix + "functions";
    private const string AdminFunctions = AdminPrefix + "functions";
    private const string AdminStream = AdminPrefix + "stream";
    private const string AdminSubscriptions = AdminPrefix + "subscriptions";
    private const string CountsSuffix = "/counts";

    private static readonly (string Suffix, string Method, ApiOperation Operation)[] ExecutionSuffixes =
    [
        ("/checkpoint", "POST", ApiOperation.CheckpointDurableExecution),
        ("/stop", "POST", ApiOperation.StopDurableExecution),
        ("/history", "GET", ApiOperation.GetDurableExecutionHistory),
        ("/state", "GET", ApiOperation.GetDurableExecutionState),
        ("/export", "GET", ApiOperation.ExportDurableExecution),
    ];

    private static readonly (string Suffix, string Method, ApiOperation Operation)[] CallbackSuffixes =
    [
        ("/succeed", "POST", ApiOperation.SendDurableExecutionCallbackSuccess),
        ("/fail", "POST", ApiOperation.SendDurableExecutionCallbackFailure),
        ("/heartbeat", "POST", ApiOperation.SendDurableExecutionCallbackHeartbeat),
    ];

    private static readonly (string Suffix, string Method, ApiOperation Operation)[] SubscriptionSuffixes =
    [
        ("/dead-letters", "GET", ApiOperation.ListEventSubscriptionDeadLetters),
        ("/redeliver", "POST", ApiOperation.RedeliverEventSubscriptionDeadLetter),
    ];

    private static readonly (string Suffix, string Method, ApiOperation Operation)[] FunctionSuffixes =
    [
        ("/invocations", "POST", ApiOperation.Invoke),
        ("/versions", "GET", ApiOperation.ListVersionsByFunction),
    ];

    /// <summary>The route of <paramref name="rawPath"/>, or null when no Durably API lives there.</summary>
    /// <param name="rawPath">The still-encoded path.</param>
    /// <param name="method">The request's method: it tells apart the operations that share <c>/durably/functions</c>.</param>
    public static ApiRoute? Match(string rawPath, string method)
    {
        if (rawPath.StartsWith(Executions, StringComparison.Ordinal))
        {
            string rest = rawPath[Executions.Length..];
            return MatchSuffix(rest, ExecutionSuffixes) ?? new ApiRoute(ApiOperation.GetDurableExecution, "GET", rest);
        }

        if (rawPath.StartsWith(Callbacks, StringComparison.Ordinal))
        {
            return MatchSuffix(rawPath[Callbacks.Length..], CallbackSuffixes);
        }

        if (rawPath.StartsWith(DurableFunctions, StringComparison.Ordinal))
        {
            const string suffix = "/durable-executions";
            string rest = rawPath[DurableFunctions.Length..];
            return rest.EndsWith(suffix, StringComparison.Ordinal)
                ? new ApiRoute(ApiOperation.ListDurableExecutionsByFunction, "GET", rest[..^suffix.Length])
                : null;
        }

        if (rawPath is AdminFunctions or AdminFunctions + "/")
        {
            return HttpMethods.IsGet(method)
                ? new ApiRoute(ApiOperation.ListFunctionDetails, "GET", null)
                : new ApiRoute(ApiOperation.RegisterHttpFunction, "POST", null);
        }

        if (rawPath.StartsWith(AdminFunctions + "/", StringComparison.Ordinal))
        {
            // A function name has no '/', so a name followed by /counts is unambiguous.
            string rest = rawPath[(AdminFunctions.Length + 1)..];
            return rest.EndsWith(CountsSuffix, StringComparison.Ordinal)
                ? new ApiRoute(ApiOperation.CountDurableExecutionsByFunction, "GET", rest[..^CountsSuffix.Length])
                : new ApiRoute(ApiOperation.RemoveHttpFunction, "DELETE", rest);
        }

        if (rawPath is AdminSubscriptions or AdminSubscriptions + "/")
        {
            return HttpMethods.IsGet(method)
                ? new ApiRoute(ApiOperation.ListEventSubscriptions, "GET", null)
                : new ApiRoute(ApiOperation.AddEventSubscription, "POST", null);
        }

        if (rawPath.StartsWith(AdminSubscriptions + "/", StringComparison.Ordinal))
        {
            // A subscription name has no '/', so a name followed by a known suffix is unambiguous.
            string rest = rawPath[(AdminSubscriptions.Length + 1)..];
            return MatchSuffix(rest, SubscriptionSuffixes) ?? new ApiRoute(ApiOperation.RemoveEventSubscription, "DELETE", rest);
        }

        if (rawPath is AdminStream)
        {
            return new ApiRoute(ApiOperation.StreamExecutionChanges, "GET", null);
        }

        if (rawPath is LambdaFunctions or LambdaFunctions + "/")
        {
            return new ApiRoute(ApiOperation.ListFunctions, "GET", null);
        }

        return rawPath.StartsWith(LambdaFunctions + "/", StringComparison.Ordinal)
            ? MatchSuffix(rawPath[(LambdaFunctions.Length + 1)..], FunctionSuffixes)
            : null;
    }

    private static ApiRoute? MatchSuffix(string rest, (string Suffix, string Method, ApiOperation Operation)[] suffixes)
    {
        foreach ((string suffix, string method, ApiOperation operation) in suffixes)
        {
            if (rest.EndsWith(suffix, StringComparison.Ordinal))
            {
                return new ApiRoute(operation, method, rest[..^suffix.Length]);
            }
        }

        return null;
    }
}
