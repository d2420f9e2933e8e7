using Microsoft.Extensions.Logging;

namespace Durably.Testing;

/// <summary>Settings of a <see cref="DurableTestRunner{TInput, TOutput}"/>.</summary>
public sealed class TestRunnerOptions
{
    /// <summary>Whenever nothing can run, jump fake time to the next due timer.</summary>
    /// <value>Default true.</value>
    public bool SkipTime { get; set; } = true;

    /// <summary>An execution needing more invocations than this fails (a runaway guard).</summary>
    /// <value>Default 100.</value>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
    public int MaxInvocations
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxInvocations));
            field = value;
        }
    } = 100;

    /// <summary>Real time a run or a wait may take before it throws <see cref="TimeoutException"/>.</summary>
    /// <value>Default 30 seconds.</value>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Payload serializer; null is <see cref="JsonDurableSerializer.Default"/>.</summary>
    public IDurableSerializer? Serializer { get; set; }

    /// <summary>Where the functions' loggers write.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// The engine's time. Null: a <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/> at 2026-01-01T00:00Z.
    /// Time is skipped only when this is a FakeTimeProvider.
    /// </summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>The name the workflow under test is registered with.</summary>
    /// <value>Default <c>workflow</c>.</value>
    public string FunctionName { get; set; } = "workflow";
}
