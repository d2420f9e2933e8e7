using System.Text;

namespace Durably.Server.Routing;

/// <summary>
/// Strict percent-decoding of one raw path segment: AWS clients encode ARNs and ids fully
/// (<c>:</c> → <c>%3A</c>, <c>/</c> → <c>%2F</c>, <c>$</c> → <c>%24</c>), so a segment is decoded only
/// after routing on the raw path (WIRE-DETAILS.md §D.0). A malformed escape or invalid UTF-8 is a 400.
/// </summary>
internal static class PercentEncoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Decode(string raw, string parameterName)
    {
        if (!raw.Contains('%', StringComparison.Ordinal))
        {
            return raw;
        }

        var bytes = new List<byte>(raw.Length);
        for (int index = 0; index < raw.Length; index++)
        {
            char character = raw[index];
            if (character != '%')
            {
                AppendUtf8(bytes, raw, ref index);
                continue;
            }

            if (index + 2 >= raw.Length || !Uri.IsHexDigit(raw[index + 1]) || !Uri.IsHexDigit(raw[index + 2]))
            {
                throw ApiErrors.InvalidParameter($"{parameterName} has a malformed percent-encoding at position {index}.");
            }

            bytes.Add((byte)((Uri.FromHex(raw[index + 1]) << 4) | Uri.FromHex(raw[index + 2])));
            index += 2;
        }

        try
        {
            return StrictUtf8.GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            throw ApiErrors.InvalidParameter($"{parameterName} is not valid UTF-8 once percent-decoded.");
        }
    }

    private static void AppendUtf8(List<byte> bytes, string raw, ref int index)
    {
        int length = char.IsHighSurrogate(raw[index]) && index + 1 < raw.Length ? 2 : 1;
        bytes.AddRange(Encoding.UTF8.GetBytes(raw.Substring(index, length)));
        index += length - 1;
    }
}
