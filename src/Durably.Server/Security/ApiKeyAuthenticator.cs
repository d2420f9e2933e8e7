using System.Security.Cryptography;
using System.Text;
using Durably.Server.Routing;
using Microsoft.AspNetCore.Http;

namespace Durably.Server.Security;

/// <summary>
/// API-key authentication (PROTOCOL.md §0): with keys configured a request needs
/// <c>Authorization: Bearer &lt;key&gt;</c>, <c>X-Api-Key: &lt;key&gt;</c>, or an AWS SigV4
/// <c>Authorization</c> header whose access key id is a key (so AWS clients authenticate with
/// <c>AWS_ACCESS_KEY_ID=&lt;key&gt;</c>; the signature itself is not checked). Without keys every request
/// passes and any <c>Authorization</c> header is ignored.
/// </summary>
internal sealed class ApiKeyAuthenticator(IEnumerable<string> apiKeys)
{
    private const string BearerScheme = "Bearer ";
    private const string SigV4Scheme = "AWS4-HMAC-SHA256 ";
    private const string CredentialField = "Credential=";

    private readonly byte[][] _keys = [.. apiKeys.Where(key => key.Length > 0).Select(Encoding.UTF8.GetBytes)];

    public bool IsEnabled => _keys.Length > 0;

    /// <summary>
    /// Throws UnrecognizedClientException (401) unless the request carries a configured key. Without keys,
    /// a request that reached a non-loopback address is refused (403) whatever the startup checks saw.
    /// </summary>
    public void Authenticate(HttpContext context)
    {
        HttpRequest request = context.Request;
        if (!IsEnabled)
        {
            if (context.Connection.LocalIpAddress is { } local && !System.Net.IPAddress.IsLoopback(local))
            {
                throw new DurableServiceException(ApiErrors.UnrecognizedClient, 403,
                    "This server has no API key configured and answers only on loopback addresses.");
            }

            return;
        }

        foreach (string? apiKey in request.Headers["X-Api-Key"])
        {
            if (IsKey(apiKey))
            {
                return;
            }
        }

        foreach (string? authorization in request.Headers.Authorization)
        {
            if (IsKey(CredentialOf(authorization)))
            {
                return;
            }
        }

        throw ApiErrors.Unauthenticated();
    }

    /// <summary>The key a header value presents: a bearer token, or a SigV4 credential's access key id.</summary>
    private static string? CredentialOf(string? authorization)
    {
        if (authorization is null)
        {
            return null;
        }

        if (authorization.StartsWith(BearerScheme, StringComparison.OrdinalIgnoreCase))
        {
            return authorization[BearerScheme.Length..].Trim();
        }

        if (!authorization.StartsWith(SigV4Scheme, StringComparison.Ordinal))
        {
            return null;
        }

        // AWS4-HMAC-SHA256 Credential=<access key id>/<date>/<region>/lambda/aws4_request, SignedHeaders=…, Signature=…
        int credential = authorization.IndexOf(CredentialField, StringComparison.Ordinal);
        if (credential < 0)
        {
            return null;
        }

        int start = credential + CredentialField.Length;
        int end = authorization.IndexOf('/', start);
        return end < 0 ? null : authorization[start..end];
    }

    private bool IsKey(string? candidate)
    {
        if (string.IsNullOrEmpty(candidate))
        {
            return false;
        }

        byte[] presented = Encoding.UTF8.GetBytes(candidate);
        bool match = false;
        foreach (byte[] key in _keys)
        {
            match |= CryptographicOperations.FixedTimeEquals(presented, key);
        }

        return match;
    }
}
