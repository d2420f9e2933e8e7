namespace Durably.Protocol;

/// <summary>
/// One execution in one JSON document, for replay-from-history tests (<c>durably export</c>, <c>GET
/// /2025-12-01/durable-executions/{arn}/export</c>, <c>Durably.Testing.ReplayTester</c>). Serialized with
/// <see cref="DurablyJson.Api"/> (timestamps in epoch seconds); the format is described in docs/testing.md.
/// </summary>
public sealed record ExecutionExport
{
    /// <summary>The value of <see cref="Format"/>.</summary>
    public const string FormatName = "durably-execution-export";

    /// <summary>The version this SDK writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Always <see cref="FormatName"/>: says what the file is.</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>The format's version; a reader refuses versions it does not know.</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>The execution as GetDurableExecution describes it, with its input (and result or error once closed).</summary>
    public required DurableExecutionDescription Execution { get; init; }

    /// <summary>Every operation in start order, the EXECUTION operation (with the input) first: what replay reads.</summary>
    public required IReadOnlyList<Operation> Operations { get; init; }

    /// <summary>The history events in order, with their data: for people reading the file and for tools.</summary>
    public required IReadOnlyList<HistoryEvent> Events { get; init; }
}
