using Durably.Protocol;

namespace Durably.Cli.Api;

/// <summary>The body and the answer of <c>POST /durably/functions</c>: an HTTP function version; timeouts in seconds.</summary>
internal sealed record HttpFunctionRegistration
{
    /// <summary>The function name.</summary>
    public string FunctionName { get; init; } = "";

    /// <summary>The endpoint the server POSTs invocation envelopes to.</summary>
    public string Url { get; init; } = "";

    /// <summary>The version; the server's default is <c>1</c>.</summary>
    public string? Version { get; init; }

    /// <summary>Execution timeout in seconds (request only).</summary>
    public int? ExecutionTimeout { get; init; }

    /// <summary>Retention in days (request only).</summary>
    public int? RetentionPeriodInDays { get; init; }

    /// <summary>Invocation timeout in seconds.</summary>
    public int? InvocationTimeout { get; init; }

    /// <summary>The qualified function ARN (answer only).</summary>
    public string? FunctionArn { get; init; }

    /// <summary>The durable configuration (answer only).</summary>
    public DurableConfig? DurableConfig { get; init; }
}
