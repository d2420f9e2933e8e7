using System.Net;
using Durably.Server.Routing;

namespace Durably.Server.Security;

/// <summary>
/// Where a function registered at run time may point (docs/http-functions.md, "Security"): a host listed in
/// <see cref="DurablyServerOptions.HttpFunctionHosts"/>, or, on a server without API keys (which only answers on
/// loopback), a loopback host. A registration is a request the server will later send on its own, so a caller
/// must not be able to aim it at arbitrary hosts.
/// </summary>
internal sealed class FunctionEndpointPolicy(IEnumerable<string> allowedHosts, bool apiKeysEnabled)
{
    private readonly HashSet<string> _allowedHosts = new(allowedHosts.Select(host => host.Trim().Trim('[', ']')), StringComparer.OrdinalIgnoreCase);

    /// <summary>Throws InvalidParameterValueException (400) unless <paramref name="url"/> may be registered.</summary>
    public void Check(Uri url)
    {
        if (RefusalOf(url) is { } refusal)
        {
            throw ApiErrors.InvalidParameter(refusal);
        }
    }

    /// <summary>Why <paramref name="url"/> may not be registered, or null when it may.</summary>
    public string? RefusalOf(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        string host = url.IdnHost;
        if (_allowedHosts.Contains(host) || (!apiKeysEnabled && IsLoopback(host)))
        {
            return null;
        }

        return apiKeysEnabled
            ? $"Url host '{host}' is not allowed: a server with API keys registers only hosts listed in Durably:Server:HttpFunctionHosts."
            : $"Url host '{host}' is not allowed: only loopback hosts (localhost, 127.0.0.1, ::1) and hosts listed in Durably:Server:HttpFunctionHosts can be registered.";
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out IPAddress? address) && IPAddress.IsLoopback(address));
}
