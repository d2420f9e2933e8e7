using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Durably.Engine;

/// <summary>
/// The <c>Durably-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>, where the hex is the lower-case
/// HMAC-SHA256, keyed with the subscription's secret, of <c>"&lt;t&gt;." + body</c> (UTF-8).
/// </summary>
public static class WebhookSignature
{
    /// <summary>The signature header's name.</summary>
    public const string Header = "Durably-Signature";

    /// <summary>The delivery id header's name: the event id, the same on every retry and redelivery.</summary>
    public const string DeliveryIdHeader = "Durably-Delivery-Id";

    /// <summary>The header value signing <paramref name="body"/> at <paramref name="timestamp"/>.</summary>
    public static string Create(string secret, DateTimeOffset timestamp, string body)
    {
        string t = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Compute(secret, t, body)}";
    }

    /// <summary>
    /// True when <paramref name="header"/> signs <paramref name="body"/> with <paramref name="secret"/> and its timestamp is
    /// within <paramref name="tolerance"/> of <paramref name="now"/> (which bounds replays).
    /// </summary>
    public static bool Verify(string secret, string? header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        string? t = null;
        string? v1 = null;
        foreach (string part in (header ?? string.Empty).Split(','))
        {
            t = part.StartsWith("t=", StringComparison.Ordinal) ? part[2..] : t;
            v1 = part.StartsWith("v1=", StringComparison.Ordinal) ? part[3..] : v1;
        }

        if (t is null || v1 is null || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(secret, t, body)), Encoding.ASCII.GetBytes(v1));
    }

    private static string Compute(string secret, string t, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}")));
}
