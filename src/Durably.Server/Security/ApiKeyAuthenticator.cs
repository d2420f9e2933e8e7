using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Durably.Server.Routing;
using Microsoft.AspNetCore.Http;

namespace Durably.Server.Security;

/// <summary>
/// API-key authentication (PROTOCOL.md §0, docs/security.md): with keys configured a request needs
/// <c>Authorization: Bearer &lt;key&gt;</c>, <c>X-Api-Key: &lt;key&gt;</c>, or an AWS SigV4
/// <c>Authorization</c> header whose access key id is a key (so AWS clients authenticate with
/// <c>AWS_ACCESS_KEY_ID=&lt;key&gt;</c>; the signature itself is not checked), and the key must hold the route's scope.
/// Without keys any <c>Authorization</c> header is ignored and <see cref="KeylessRequestPolicy"/> decides.
/// </summary>
internal sealed class ApiKeyAuthenticator
{
    private const string BearerScheme = "Bearer ";
    private const string SigV4Scheme = "AWS4-HMAC-SHA256 ";
    private const string CredentialField = "Credential=";

    private static readonly FrozenSet<DurablyApiScope> Everything = FrozenSet.Create(DurablyApiScope.Admin);

    private readonly (byte[] Key, DurablyApiScope[] Scopes)[] _keys;

    /// <summary>Takes the admin and scoped keys of <paramref name="options"/>; throws <see cref="InvalidOperationException"/> for a key too short or without scopes.</summary>
    public ApiKeyAuthenticator(DurablyServerOptions options)
    {
        var keys = new List<(byte[] Key, DurablyApiScope[] Scopes)>();
        for (int index = 0; index < options.ApiKeys.Count; index++)
        {
            keys.Add((Validated(options.ApiKeys[index], $"ApiKeys:{index}"), [DurablyApiScope.Admin]));
        }

        for (int index = 0; index < options.ScopedApiKeys.Count; index++)
        {
            DurablyApiKey scoped = options.ScopedApiKeys[index];
            byte[] key = Validated(scoped.Key, $"ScopedApiKeys:{index}:Key");
            if (scoped.Scopes.Count == 0)
            {
                throw new InvalidOperationException(
                    $"Durably refuses to start: the API key {DurablyServerOptions.ConfigurationSection}:ScopedApiKeys:{index} has no scopes; "
                    + $"give it at least one of {string.Join(", ", Enum.GetNames<DurablyApiScope>())} (…:ScopedApiKeys:{index}:Scopes:0).");
            }

            keys.Add((key, [.. scoped.Scopes.Distinct()]));
        }

        _keys = [.. keys];
    }

    public bool IsEnabled => _keys.Length > 0;

    /// <summary>
    /// The scopes the request holds. Throws UnrecognizedClientException (401) unless it carries a configured key;
    /// without keys, throws what <see cref="KeylessRequestPolicy.CheckRequest"/> refuses and otherwise grants everything.
    /// </summary>
    public IReadOnlySet<DurablyApiScope> Authenticate(HttpContext context)
    {
        if (!IsEnabled)
        {
            KeylessRequestPolicy.CheckRequest(context);
            return Everything;
        }

        HttpRequest request = context.Request;
        var granted = new HashSet<DurablyApiScope>();
        foreach (string? apiKey in request.Headers["X-Api-Key"])
        {
            AddScopesOf(apiKey, granted);
        }

        foreach (string? authorization in request.Headers.Authorization)
        {
            AddScopesOf(CredentialOf(authorization), granted);
        }

        return granted.Count > 0 ? granted : throw ApiErrors.Unauthenticated();
    }

    /// <summary>Throws AccessDeniedException (403) naming the scope <paramref name="operation"/> needs when <paramref name="granted"/> lacks it.</summary>
    public static void Require(IReadOnlySet<DurablyApiScope> granted, ApiOperation operation)
    {
        DurablyApiScope needed = OperationAccess.ScopeOf(operation);
        if (!granted.Contains(DurablyApiScope.Admin) && !granted.Contains(needed))
        {
            throw ApiErrors.Forbidden($"The API key may not call {operation}: it needs the {needed} scope (or Admin); the key has {string.Join(", ", granted)}.");
        }
    }

    private static byte[] Validated(string? key, string name)
    {
        int length = key?.Length ?? 0;
        return length >= DurablyServerOptions.MinimumApiKeyLength
            ? Encoding.UTF8.GetBytes(key!)
            : throw new InvalidOperationException(
                $"Durably refuses to start: the API key {DurablyServerOptions.ConfigurationSection}:{name} is {length} characters long; a key must have at least "
                + $"{DurablyServerOptions.MinimumApiKeyLength} (generate one with 'openssl rand -hex 32').");
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

    /// <summary>Adds the scopes of every key equal to <paramref name="candidate"/>, comparing against all keys in constant time.</summary>
    private void AddScopesOf(string? candidate, HashSet<DurablyApiScope> granted)
    {
        if (string.IsNullOrEmpty(candidate))
        {
            return;
        }

        byte[] presented = Encoding.UTF8.GetBytes(candidate);
        foreach ((byte[] key, DurablyApiScope[] scopes) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, key))
            {
                granted.UnionWith(scopes);
            }
        }
    }
}
