using System.Net;
using Durably.Server.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Durably.Server.Security;

/// <summary>
/// What a server without API keys accepts (docs/security.md): it listens on loopback only, yet every web page open on
/// the machine can send it requests. So it answers only requests that name a loopback host (no DNS rebinding), that
/// come from no other web origin than its own (<c>Origin</c>, <c>Sec-Fetch-Site</c>), that no reverse proxy or port forward passed
/// on, and whose JSON bodies say so (a page can send <c>text/plain</c> without asking first; it cannot send
/// <c>application/json</c> to another origin without a CORS preflight, which this server never grants).
/// </summary>
internal static class KeylessRequestPolicy
{
    private static readonly string[] ProxyHeaders = ["Forwarded", "X-Real-IP"];

    /// <summary>Throws AccessDeniedException (403) for a request a keyless server must not serve, whatever its route.</summary>
    public static void CheckRequest(HttpContext context)
    {
        if (context.Connection.LocalIpAddress is { } local && !IPAddress.IsLoopback(local))
        {
            throw ApiErrors.Forbidden("This server has no API key configured and answers only on loopback addresses.");
        }

        HttpRequest request = context.Request;
        if (!IsLoopbackHost(request.Host.Host))
        {
            throw ApiErrors.Forbidden($"The Host header '{QueryParameters.Shorten(request.Host.Value ?? "")}' does not name a loopback address (localhost, 127.x.x.x, [::1]); "
                + "a server without API keys answers only requests addressed to loopback, so that no other web site can reach it through its own host name (DNS rebinding).");
        }

        foreach (string name in request.Headers.Keys)
        {
            if (name.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase) || ProxyHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw ApiErrors.Forbidden($"The request carries the proxy header '{name}': a server without API keys does not serve requests passed on by a reverse proxy "
                    + "or port forward, which would expose it beyond this machine. Configure an API key to serve through a proxy.");
            }
        }

        // Browsers mark every request they send with where it comes from; "same-site" includes other ports of localhost.
        if (request.Headers["Sec-Fetch-Site"] is [{ } site] && site is not ("same-origin" or "none"))
        {
            throw ApiErrors.Forbidden($"The browser marks this request as coming from another web page (Sec-Fetch-Site: {QueryParameters.Shorten(site)}): "
                + "a server without API keys serves no other web site's pages.");
        }

        string ownOrigin = $"{request.Scheme}://{request.Host.Value}";
        foreach (string? origin in request.Headers.Origin)
        {
            if (!string.Equals(origin, ownOrigin, StringComparison.OrdinalIgnoreCase))
            {
                throw ApiErrors.Forbidden($"The request comes from the web origin '{QueryParameters.Shorten(origin ?? "")}', not from this server's own origin {ownOrigin}: "
                    + "a server without API keys serves no other web site's pages.");
            }
        }
    }

    /// <summary>Throws UnsupportedMediaTypeException (415) when a JSON body is not sent as <c>application/json</c>.</summary>
    public static void CheckContentType(HttpContext context, bool takesJsonBody)
    {
        if (!takesJsonBody || context.Features.Get<IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: true })
        {
            return;
        }

        string? contentType = context.Request.ContentType;
        if (!MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue? parsed)
            || !parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new DurableServiceException(ApiErrors.UnsupportedMediaType, StatusCodes.Status415UnsupportedMediaType,
                $"The body is JSON and must be sent with 'Content-Type: application/json', not '{QueryParameters.Shorten(contentType ?? "")}': "
                + "a server without API keys refuses other content types, which any web page could send it.");
        }
    }

    private static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host, out IPAddress? address) && IPAddress.IsLoopback(address));
}
