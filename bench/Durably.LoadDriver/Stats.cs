using System.Diagnostics;

namespace Durably.LoadDriver;

/// <summary>Latency samples in milliseconds with percentiles (nearest rank).</summary>
internal sealed class Stats
{
    private readonly List<double> _samples = [];

    public int Count => _samples.Count;

    public void Add(double milliseconds)
    {
        lock (_samples)
        {
            _samples.Add(milliseconds);
        }
    }

    public static double Since(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;

    public static double Between(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    public double Percentile(double p)
    {
        lock (_samples)
        {
            if (_samples.Count == 0)
            {
                return double.NaN;
            }

            List<double> sorted = [.. _samples.Order()];
            int rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
        }
    }

    public string Summary() => $"p50 {Percentile(50):F2} ms, p90 {Percentile(90):F2} ms, p99 {Percentile(99):F2} ms (n={Count})";
}
