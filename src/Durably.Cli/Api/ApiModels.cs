using Durably.Protocol;

namespace Durably.Cli.Api;

/// <summary>A parsed API response together with its body as the server sent it (for <c>--json</c>).</summary>
/// <typeparam name="T">The response DTO.</typeparam>
/// <param name="Value">The parsed body.</param>
/// <param name="Json">The raw body.</param>
internal sealed record ApiResult<T>(T Value, string Json);

/// <summary>ListDurableExecutionsByFunction response (PROTOCOL.md §2.4).</summary>
internal sealed record ExecutionsPage
{
    /// <summary>The executions of this page.</summary>
    public IReadOnlyList<DurableExecutionSummary> DurableExecutions { get; init; } = [];

    /// <summary>Marker of the next page; absent on the last.</summary>
    public string? NextMarker { get; init; }
}

/// <summary>GetDurableExecutionHistory response (PROTOCOL.md §2.5).</summary>
internal sealed record EventsPage
{
    /// <summary>The events of this page.</summary>
    public IReadOnlyList<HistoryEvent> Events { get; init; } = [];

    /// <summary>Marker of the next page; absent on the last.</summary>
    public string? NextMarker { get; init; }
}

/// <summary>StopDurableExecution response (PROTOCOL.md §2.6).</summary>
internal sealed record StopResult
{
    /// <summary>When the execution stopped (its existing end time when it was already closed).</summary>
    public DateTimeOffset StopTimestamp { get; init; }
}

/// <summary>Lambda ListFunctions response, as a Durably server serves it.</summary>
internal sealed record FunctionsPage
{
    /// <summary>The registered function versions.</summary>
    public IReadOnlyList<FunctionConfiguration> Functions { get; init; } = [];

    /// <summary>Marker of the next page; absent on the last.</summary>
    public string? NextMarker { get; init; }
}

/// <summary>One function version of ListFunctions.</summary>
internal sealed record FunctionConfiguration
{
    /// <summary>The function name.</summary>
    public string FunctionName { get; init; } = "";

    /// <summary>The qualified function ARN.</summary>
    public string? FunctionArn { get; init; }

    /// <summary>The version.</summary>
    public string? Version { get; init; }

    /// <summary>The durable configuration.</summary>
    public DurableConfig? DurableConfig { get; init; }
}

/// <summary>What Invoke answered: status, headers and the raw body.</summary>
/// <param name="StatusCode">200 (finished), or 202 (started, or still running past the sync limit).</param>
/// <param name="DurableExecutionArn">The execution, from <c>X-Amz-Durable-Execution-Arn</c>.</param>
/// <param name="ExecutedVersion">From <c>X-Amz-Executed-Version</c>.</param>
/// <param name="FunctionError">From <c>X-Amz-Function-Error</c>: set when the execution failed.</param>
/// <param name="Payload">The body: the result, or the error document when <paramref name="FunctionError"/> is set.</param>
internal sealed record InvokeResult(int StatusCode, string? DurableExecutionArn, string? ExecutedVersion, string? FunctionError, string Payload);
