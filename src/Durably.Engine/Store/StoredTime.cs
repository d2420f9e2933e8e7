namespace Durably.Engine.Storage;

/// <summary>Times in columns are UTC ticks: exact, ordered and cheap to index.</summary>
internal static class StoredTime
{
    public static long From(DateTimeOffset time) => time.UtcTicks;

    public static long? From(DateTimeOffset? time) => time?.UtcTicks;

    public static DateTimeOffset ToTime(long ticks) => new(ticks, TimeSpan.Zero);
}
