using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Durably.Protocol;

namespace Durably.Benchmarks;

/// <summary>Invocation envelopes as the engine would send them, built without an engine.</summary>
internal static class Envelopes
{
    public const string Arn = "arn:durably:bench:execution/bench";

    /// <summary>An envelope whose log holds the EXECUTION operation and <paramref name="completedSteps"/> SUCCEEDED steps.</summary>
    public static DurableExecutionInvocationInput WithCompletedSteps(int completedSteps, string stepName, string result)
    {
        var operations = new List<Operation>(completedSteps + 1)
        {
            new()
            {
                Id = "execution",
                Type = OperationType.Execution,
                Status = OperationStatus.Started,
                ExecutionDetails = new ExecutionDetails { InputPayload = completedSteps.ToString(CultureInfo.InvariantCulture) },
            },
        };
        for (int sequence = 1; sequence <= completedSteps; sequence++)
        {
            operations.Add(new Operation
            {
                Id = RootOperationId(sequence),
                Name = stepName,
                Type = OperationType.Step,
                SubType = "Step",
                Status = OperationStatus.Succeeded,
                StepDetails = new StepDetails { Attempt = 1, Result = result },
            });
        }

        return new DurableExecutionInvocationInput
        {
            DurableExecutionArn = Arn,
            CheckpointToken = "token-0",
            InitialExecutionState = new InitialExecutionState { Operations = operations },
        };
    }

    /// <summary>The id the SDK gives the root context's n-th call (copied from src/Durably/Replay/OperationIds.cs, which is internal).</summary>
    private static string RootOperationId(int sequence)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(sequence.ToString(CultureInfo.InvariantCulture)), hash);
        return Convert.ToHexStringLower(hash);
    }
}
