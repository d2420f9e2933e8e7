using System.Globalization;
using System.Text;
using Durably.Protocol;

namespace Durably;

/// <summary>
/// Where replay found the code asking for another operation than the log recorded: the first non-deterministic
/// change. Carried by <see cref="NonDeterministicExecutionException.Mismatch"/> and, as JSON, in the recorded error's
/// <c>ErrorData</c>.
/// </summary>
public sealed record ReplayMismatch
{
    /// <summary>The call's position in its context: 1 for the context's first durable operation, 2 for the next …</summary>
    public required int Position { get; init; }

    /// <summary>The operation id both sides share (the position's id).</summary>
    public required string OperationId { get; init; }

    /// <summary>The id of the enclosing context; null at the root.</summary>
    public string? ParentId { get; init; }

    /// <summary>What the log recorded at <see cref="OperationId"/>.</summary>
    public required OperationKey Expected { get; init; }

    /// <summary>What the code asks for now.</summary>
    public required OperationKey Actual { get; init; }

    /// <summary>
    /// The workflow code that asked, as a stack frame (<c>Namespace.Type.Method() in File.cs:line 42</c>; file and line
    /// when the workflow's assembly has its PDB); null when no frame outside the SDK was found.
    /// </summary>
    public string? CallSite { get; init; }

    /// <summary>A durable operation's identity as replay compares it.</summary>
    /// <param name="Type">The operation's type.</param>
    /// <param name="Name">The name the code gave it; null when unnamed.</param>
    /// <param name="SubType">Its sub-type, e.g. <c>Step</c>, <c>Wait</c>, <c>Parallel</c>.</param>
    public sealed record OperationKey(OperationType Type, string? Name, string? SubType)
    {
        /// <summary>E.g. <c>STEP "charge" (Step)</c>.</summary>
        public override string ToString() =>
            $"{ToWire(Type)} {(Name is null ? "(unnamed)" : $"\"{Name}\"")} ({SubType ?? "no sub-type"})";
    }

    /// <summary>The readable expected-versus-actual diff, one fact a line.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"Non-deterministic execution: the code asks for another operation than the log recorded at position {Position} of ")
            .Append(ParentId is null ? "the root context" : $"context {ParentId}").AppendLine(".")
            .Append("  operation id: ").AppendLine(OperationId)
            .Append("  expected (log): ").AppendLine(Expected.ToString())
            .Append("  actual (code):  ").AppendLine(Actual.ToString())
            .Append("  call site:      ").Append(CallSite ?? "(unknown)");
        return text.ToString();
    }

    private static string ToWire(OperationType type) => type switch
    {
        OperationType.ChainedInvoke => "CHAINED_INVOKE",
        _ => type.ToString().ToUpperInvariant(),
    };
}
