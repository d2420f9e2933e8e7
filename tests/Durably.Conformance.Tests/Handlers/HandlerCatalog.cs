using System.Text.Json.Nodes;
using Durably.Conformance.Runner;

namespace Durably.Conformance.Handlers;

/// <summary>
/// One C# handler per requirement id, written from the requirement's prose. Each entry registers the
/// requirement's function under <see cref="MainFunction"/> plus any invoke targets it calls.
/// </summary>
public static partial class HandlerCatalog
{
    /// <summary>The name every requirement's own handler is registered under.</summary>
    public const string MainFunction = "conformance-handler";

    private static readonly Dictionary<string, Action<IFunctionRegistrar>> Registrations = new(StringComparer.Ordinal);

    static HandlerCatalog()
    {
        RegisterStep();
        RegisterWait();
        RegisterChild();
        RegisterCallback();
        RegisterInvoke();
        RegisterWaitForCondition();
        RegisterWaitForCallback();
        RegisterParallel();
        RegisterMap();
    }

    public static bool Has(string id) => Registrations.ContainsKey(id);

    public static IReadOnlyCollection<string> Ids => Registrations.Keys;

    public static void Register(string id, IFunctionRegistrar registrar)
    {
        if (!Registrations.TryGetValue(id, out Action<IFunctionRegistrar>? register))
        {
            throw new KeyNotFoundException($"No handler written for requirement {id}.");
        }

        register(registrar);
    }

    private static void Add<TInput, TOutput>(string id, Func<TInput, IDurableContext, Task<TOutput>> handler)
        => Registrations.Add(id, r => r.AddFunction(MainFunction, handler));

    private static void AddCrashAware<TInput, TOutput>(string id, Func<TInput, IDurableContext, Task<TOutput>> handler)
        => Registrations.Add(id, r => r.AddCrashAwareFunction(MainFunction, handler));

    private static void Add<TInput, TOutput>(string id, Func<TInput, IDurableContext, Task<TOutput>> handler, Action<IFunctionRegistrar> targets)
        => Registrations.Add(id, r =>
        {
            r.AddFunction(MainFunction, handler);
            targets(r);
        });

    // ---- shared helpers -------------------------------------------------------------------------

    /// <summary>An exception for "the function throws an error" in the prose.</summary>
    public sealed class ConformanceError(string message) : Exception(message);

    /// <summary>The custom error type of 1-16.</summary>
    public sealed class TransientError(string message) : Exception(message);

    internal static StepConfig NoRetry { get; } = new() { RetryStrategy = RetryStrategy.None };

    internal static IRetryStrategy Fixed(int maxAttempts, int delaySeconds)
        => RetryStrategy.Exponential(maxAttempts, TimeSpan.FromSeconds(delaySeconds), TimeSpan.FromSeconds(delaySeconds), 1.0, JitterStrategy.None);

    internal static string WireReason(CompletionReason reason) => reason switch
    {
        CompletionReason.AllCompleted => "ALL_COMPLETED",
        CompletionReason.MinSuccessfulReached => "MIN_SUCCESSFUL_REACHED",
        CompletionReason.FailureToleranceExceeded => "FAILURE_TOLERANCE_EXCEEDED",
        _ => reason.ToString(),
    };

    internal static string WireStatus(BatchStatus status) => status == BatchStatus.Succeeded ? "SUCCEEDED" : "FAILED";

    /// <summary>{completionReason, status, successCount, failureCount, totalCount} — the projection the batch requirements return.</summary>
    internal static JsonObject Projection<T>(IBatchResult<T> result, bool status = true, bool failureCount = true)
    {
        var projection = new JsonObject { ["completionReason"] = WireReason(result.CompletionReason) };
        if (status)
        {
            projection["status"] = WireStatus(result.Status);
        }

        projection["successCount"] = result.SuccessCount;
        if (failureCount)
        {
            projection["failureCount"] = result.FailureCount;
        }

        projection["totalCount"] = result.TotalCount;
        return projection;
    }

    /// <summary>A serializer that runs custom text transforms (the "custom serdes" of the prose).</summary>
    internal sealed class TextSerializer(Func<string?, string?> serialize, Func<string?, string?> deserialize) : IDurableSerializer
    {
        public string? Serialize<T>(T value) => serialize(value is null ? null : value.ToString());

        public T? Deserialize<T>(string? payload)
        {
            string? text = deserialize(payload);
            return text is null ? default : (T)(object)text;
        }
    }
}
