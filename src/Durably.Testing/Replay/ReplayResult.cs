using System.Text.Json;
using Durably.Protocol;

namespace Durably.Testing;

/// <summary>How a replay ended.</summary>
public enum ReplayOutcome
{
    /// <summary>The workflow returned, every operation it asked for replayed from the recording.</summary>
    Completed,

    /// <summary>The workflow reached the end of the recording (an operation the recording did not complete, or new code) and stopped there.</summary>
    StoppedAtRecordingEnd,

    /// <summary>The code asks for another operation than the recording holds: see <see cref="ReplayResult.Mismatch"/>.</summary>
    NonDeterministic,

    /// <summary>The workflow threw (a recorded failure it does not catch, or a new bug): see <see cref="ReplayResult.Error"/>.</summary>
    Failed,
}

/// <summary>The outcome of <see cref="ReplayTester.ReplayAsync{TInput, TOutput}"/>.</summary>
public sealed record ReplayResult
{
    /// <summary>How the replay ended.</summary>
    public required ReplayOutcome Outcome { get; init; }

    /// <summary>The first non-deterministic change (position, operation id, expected and actual operation, call site).</summary>
    public ReplayMismatch? Mismatch { get; init; }

    /// <summary>The workflow's error when <see cref="ReplayOutcome.Failed"/> (or the mismatch's, when non-deterministic).</summary>
    public ErrorObject? Error { get; init; }

    /// <summary>The serialized result when <see cref="ReplayOutcome.Completed"/>.</summary>
    public string? Result { get; init; }

    /// <summary>Throws when the code did not replay the recording deterministically.</summary>
    /// <exception cref="NonDeterministicExecutionException">The message is the expected-versus-actual diff.</exception>
    public void EnsureDeterministic()
    {
        if (Mismatch is not null)
        {
            throw new NonDeterministicExecutionException(Mismatch);
        }
    }

    internal static ReplayResult From(DurableExecutionInvocationOutput output) => output.Status switch
    {
        InvocationStatus.Succeeded => new ReplayResult { Outcome = ReplayOutcome.Completed, Result = output.Result },
        InvocationStatus.Pending => new ReplayResult { Outcome = ReplayOutcome.StoppedAtRecordingEnd },
        _ when output.Error is { ErrorType: nameof(NonDeterministicExecutionException), ErrorData: { } data } => new ReplayResult
        {
            Outcome = ReplayOutcome.NonDeterministic,
            Mismatch = JsonSerializer.Deserialize<ReplayMismatch>(data, DurablyJson.Api),
            Error = output.Error,
        },
        _ => new ReplayResult { Outcome = ReplayOutcome.Failed, Error = output.Error },
    };
}
