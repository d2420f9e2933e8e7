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
    /// <summary>Root ids are the same in every execution: the first ones are computed once per process.</summary>
    private static readonly string?[] RootCache = new string?[1024];

    public static string For(string? parentId, int sequence)
    {
        if (parentId is null && (uint)sequence < (uint)RootCache.Length)
        {
            return RootCache[sequence] ??= Compute(null, sequence);
        }

        return Compute(parentId, sequence);
    }

    private static string Compute(string? parentId, int sequence)
    {
        // The raw id is ASCII: the parent's hex id, a dash and the sequence number.
        int parentLength = parentId is null ? 0 : Encoding.UTF8.GetByteCount(parentId) + 1;
        Span<byte> raw = parentLength + 11 <= 256 ? stackalloc byte[parentLength + 11] : new byte[parentLength + 11];
        int written = 0;
        if (parentId is not null)
        {
            written = Encoding.UTF8.GetBytes(parentId, raw);
            raw[written++] = (byte)'-';
        }

        sequence.TryFormat(raw[written..], out int digits, provider: System.Globalization.CultureInfo.InvariantCulture);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(raw[..(written + digits)], hash);
        return Convert.ToHexStringLower(hash);
    }
}
