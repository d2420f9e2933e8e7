using System.Security.Cryptography;
using System.Text;

namespace Durably.Replay;

/// <summary>
/// Deterministic operation ids: each context numbers its calls 1, 2, 3 …; the raw id is
/// <c>n</c> at the root and <c>{parentId}-{n}</c> below, and the wire id is its SHA-256 in
/// lowercase hex (64 characters), as AWS's .NET SDK does. Same code + same input ⇒ same ids.
/// </summary>
internal static class OperationIds
{
    public static string For(string? parentId, int sequence)
    {
        string raw = parentId is null
            ? sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{parentId}-{sequence}");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(raw), hash);
        return Convert.ToHexStringLower(hash);
    }
}
