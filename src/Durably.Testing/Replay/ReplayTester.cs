using System.Text.Json;
using Durably.Protocol;

namespace Durably.Testing;

/// <summary>
/// Replays a recorded execution (an <see cref="ExecutionExport"/>: <c>durably export</c>) against the current workflow
/// code: the check that new code still replays the executions already running in production (docs/testing.md).
/// Operations the recording completed return their recorded results, their step bodies do not run; the replay stops
/// where the recording ends (a step it did not complete, a wait, new code), and fails on the first operation the code
/// asks for that differs from the recording.
/// </summary>
public static class ReplayTester
{
    /// <summary>Reads an export file, refusing another format or a version this SDK does not know.</summary>
    /// <exception cref="InvalidDataException">The file is not a Durably execution export of a known version.</exception>
    public static ExecutionExport Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads an export from its JSON text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The text is not a Durably execution export of a known version.</exception>
    public static ExecutionExport Parse(string json, string source = "the export")
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            // Format and version first: a file of another kind or version says so rather than which field it lacks.
            using (JsonDocument document = JsonDocument.Parse(json))
            {
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(nameof(ExecutionExport.Format), out JsonElement format)
                    || format.ValueKind != JsonValueKind.String || format.GetString() != ExecutionExport.FormatName)
                {
                    throw new InvalidDataException($"{source} is not a Durably execution export: \"Format\" must be \"{ExecutionExport.FormatName}\".");
                }

                if (!root.TryGetProperty(nameof(ExecutionExport.Version), out JsonElement version) || version.ValueKind != JsonValueKind.Number
                    || !version.TryGetInt32(out int number) || number != ExecutionExport.CurrentVersion)
                {
                    throw new InvalidDataException(
                        $"{source} is version {(version.ValueKind == JsonValueKind.Undefined ? "(none)" : version.GetRawText())} of the export format; " +
                        $"this SDK reads version {ExecutionExport.CurrentVersion}.");
                }
            }

            return JsonSerializer.Deserialize<ExecutionExport>(json, DurablyJson.Api)!;
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{source} is not a Durably execution export: {exception.Message}", exception);
        }
    }

    /// <summary>Replays <paramref name="recording"/> against <paramref name="workflow"/>.</summary>
    /// <exception cref="TimeoutException">The replay neither ended nor stopped within <see cref="ReplayOptions.Timeout"/>.</exception>
    public static async Task<ReplayResult> ReplayAsync<TInput, TOutput>(Func<TInput, IDurableContext, Task<TOutput>> workflow,
        ExecutionExport recording, ReplayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(recording);
        options ??= new ReplayOptions();
        var input = new DurableExecutionInvocationInput
        {
            DurableExecutionArn = recording.Execution.DurableExecutionArn,
            CheckpointToken = "replay",
            InitialExecutionState = new InitialExecutionState { Operations = recording.Operations },
        };
        var functionOptions = new DurableFunctionOptions
        {
            Serializer = options.Serializer,
            LoggerFactory = options.LoggerFactory,
            StopsAtRecordingEnd = true,
        };

        DurableExecutionInvocationOutput output;
        try
        {
            output = await DurableFunction.WrapAsync(workflow, input, new RecordingOnlyClient(), functionOptions)
                .WaitAsync(options.Timeout).ConfigureAwait(false);
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException(
                $"Replaying {recording.Execution.DurableExecutionArn} neither ended nor stopped at the recording's end within {options.Timeout}: " +
                "the workflow waits on something that is not a durable operation.", exception);
        }

        return ReplayResult.From(output);
    }

    /// <summary>Replays <paramref name="recording"/> against <paramref name="workflow"/> (no result).</summary>
    /// <exception cref="TimeoutException">The replay neither ended nor stopped within <see cref="ReplayOptions.Timeout"/>.</exception>
    public static Task<ReplayResult> ReplayAsync<TInput>(Func<TInput, IDurableContext, Task> workflow, ExecutionExport recording, ReplayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return ReplayAsync<TInput, object?>(async (value, context) =>
        {
            await workflow(value, context).ConfigureAwait(false);
            return null;
        }, recording, options);
    }

    /// <summary>Replays the export file at <paramref name="path"/> and throws the diff if the code no longer replays it.</summary>
    /// <exception cref="NonDeterministicExecutionException">The code asks for another operation than the recording holds; the message is the diff.</exception>
    public static async Task<ReplayResult> AssertReplaysAsync<TInput, TOutput>(Func<TInput, IDurableContext, Task<TOutput>> workflow,
        string path, ReplayOptions? options = null)
    {
        ReplayResult result = await ReplayAsync(workflow, Load(path), options).ConfigureAwait(false);
        result.EnsureDeterministic();
        return result;
    }
}
