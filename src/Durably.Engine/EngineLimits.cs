using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Durably.Engine.Storage;
using Durably.Protocol;

namespace Durably.Engine;

/// <summary>The service limits of PROTOCOL.md §3.5 and their checks; each violation names the field and the limit.</summary>
internal static partial class EngineLimits
{
    public const int MaxPayloadBytes = 262_144;
    public const int MaxErrorBytes = 262_144;
    public const int MaxDelaySeconds = 31_622_400;
    public const int MaxRetentionDays = 90;

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[\\x20-\\x7E]{1,256}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,32}$")]
    private static partial Regex SubTypePattern();

    [GeneratedRegex("^[\\x21-\\x7E]{1,64}$")]
    private static partial Regex ClientTokenPattern();

    public static void CheckClientToken(string? value)
    {
        if (value is not null && !ClientTokenPattern().IsMatch(value))
        {
            throw ServiceErrorCodes.InvalidParameter("ClientToken is invalid: it must be 1-64 printable ASCII characters without spaces.");
        }
    }

    public static bool IsValidId(string? value) => value is not null && IdPattern().IsMatch(value);

    public static void CheckId(string field, string? value)
    {
        if (!IsValidId(value))
        {
            throw ServiceErrorCodes.InvalidParameter($"{field} '{ServiceErrorCodes.Shorten(value)}' is invalid: it must be 1-64 characters of [a-zA-Z0-9-_].");
        }
    }

    public static void CheckName(string field, string? value)
    {
        if (value is not null && !NamePattern().IsMatch(value))
        {
            throw ServiceErrorCodes.InvalidParameter($"{field} is invalid: it must be 1-256 printable ASCII characters.");
        }
    }

    public static void CheckSubType(string field, string? value)
    {
        if (value is not null && !SubTypePattern().IsMatch(value))
        {
            throw ServiceErrorCodes.InvalidParameter($"{field} '{ServiceErrorCodes.Shorten(value)}' is invalid: it must be 1-32 characters of [a-zA-Z0-9-_].");
        }
    }

    public static void CheckPayload(string field, string? payload)
    {
        if (payload is null || payload.Length * 3 <= MaxPayloadBytes)
        {
            return;
        }

        int bytes = Encoding.UTF8.GetByteCount(payload);
        if (bytes > MaxPayloadBytes)
        {
            throw ServiceErrorCodes.InvalidParameter($"{field} is {bytes} bytes; the limit is {MaxPayloadBytes} bytes (256 KiB).");
        }
    }

    public static void CheckError(string field, ErrorObject? error)
    {
        if (error is null)
        {
            return;
        }

        int bytes = JsonSerializer.SerializeToUtf8Bytes(error, DurablyJson.Api).Length;
        if (bytes > MaxErrorBytes)
        {
            throw ServiceErrorCodes.InvalidParameter($"{field} is {bytes} bytes; the limit is {MaxErrorBytes} bytes (256 KiB).");
        }
    }

    /// <summary>The bytes a payload counts against the per-execution write limit: its UTF-8 length.</summary>
    public static long PayloadBytes(string? payload) => payload is null ? 0 : Encoding.UTF8.GetByteCount(payload);

    /// <summary>The bytes an error counts against the per-execution write limit: the UTF-8 length of its JSON.</summary>
    public static long ErrorBytes(ErrorObject? error) => error is null ? 0 : JsonSerializer.SerializeToUtf8Bytes(error, DurablyJson.Api).Length;

    /// <summary>Null when writing <paramref name="bytes"/> keeps the execution within <paramref name="limit"/>; otherwise why not.</summary>
    public static string? BytesWrittenViolation(ExecutionRecord execution, string what, long bytes, long limit) =>
        execution.BytesWritten + bytes <= limit
            ? null
            : $"{what} would write {bytes} bytes; the execution has written {execution.BytesWritten} bytes and the limit is {limit} bytes per execution.";

    public static void CheckBytesWritten(ExecutionRecord execution, string what, long bytes, long limit)
    {
        if (BytesWrittenViolation(execution, what, bytes, limit) is { } violation)
        {
            throw ServiceErrorCodes.InvalidParameter(violation);
        }
    }

    public static void CheckDelay(string field, int? seconds)
    {
        if (seconds is null or < 1 or > MaxDelaySeconds)
        {
            throw ServiceErrorCodes.InvalidParameter($"{field} must be between 1 and {MaxDelaySeconds} seconds; got {seconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}.");
        }
    }

    public static void CheckTimeout(string field, int? seconds)
    {
        if (seconds is < 0 or > MaxDelaySeconds)
        {
            throw ServiceErrorCodes.InvalidParameter($"{field} must be between 0 and {MaxDelaySeconds} seconds; got {seconds}.");
        }
    }
}
