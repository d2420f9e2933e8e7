using System.Net;
using Microsoft.AspNetCore.Http;

namespace Durably.Server.Security;

/// <summary>
/// Loopback needs no credentials; any other binding requires an API key (PROTOCOL.md §0). Unix sockets
/// and named pipes are local too.
/// </summary>
internal static class ListenAddressPolicy
{
    /// <summary>True when <paramref name="address"/> (a Kestrel URL such as <c>http://127.0.0.1:5000</c>) is reachable only from this machine.</summary>
    public static bool IsLocal(string address)
    {
        BindingAddress binding;
        try
        {
            binding = BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return false;
        }

        if (binding.IsUnixPipe || binding.IsNamedPipe)
        {
            return true;
        }

        string host = binding.Host.Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out IPAddress? ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>Throws when an address is not local and no API key is configured, naming the address and the missing key.</summary>
    public static void Enforce(IEnumerable<string> addresses, bool hasApiKey)
    {
        if (hasApiKey)
        {
            return;
        }

        foreach (string address in addresses)
        {
            if (!IsLocal(address))
            {
                throw new InvalidOperationException(
                    $"Durably refuses to start: it would listen on {address}, which is not a loopback address, and no API key is configured. "
                    + $"Add one (configuration key '{DurablyServerOptions.ConfigurationSection}:ApiKeys:0', or DurablyServerOptions.ApiKeys through "
                    + "ConfigureServer(…) or MapDurably(…)), or listen on 127.0.0.1 / localhost only.");
            }
        }
    }
}
