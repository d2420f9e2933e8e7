namespace Durably;

/// <summary>
/// Settings of the REST API mapped by <c>MapDurably</c>: set them with <c>ConfigureServer</c> on
/// <c>AddDurably()</c>, in configuration under <c>Durably:Server</c>, or with <c>MapDurably(options => …)</c>
/// (applied in that order).
/// </summary>
public sealed class DurablyServerOptions
{
    /// <summary>The configuration section bound to these options.</summary>
    public const string ConfigurationSection = "Durably:Server";

    /// <summary>
    /// API keys, any of which authenticates a request (<c>Authorization: Bearer &lt;key&gt;</c>,
    /// <c>X-Api-Key: &lt;key&gt;</c>, or an AWS SigV4 <c>Authorization</c> whose access key id is the key).
    /// Empty: no authentication, allowed only while the server listens on loopback addresses.
    /// </summary>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>
    /// Hosts (names or IP addresses, compared case-insensitively, any port) that functions registered at run time
    /// (<c>POST /durably/functions</c>, <c>durably functions add</c>) may point at. Without API keys loopback
    /// endpoints (<c>localhost</c>, <c>127.0.0.0/8</c>, <c>::1</c>) are allowed as well; with API keys only these
    /// hosts are, so a caller cannot make the server send requests anywhere else (docs/http-functions.md).
    /// Functions registered in code with <c>AddHttpFunction</c> are not restricted.
    /// </summary>
    public IList<string> HttpFunctionHosts { get; } = [];

    /// <summary>How long a synchronous (<c>RequestResponse</c>) invoke waits for the result before answering 202.</summary>
    /// <value>Default 15 minutes.</value>
    public TimeSpan SyncInvokeTimeout { get; set; } = TimeSpan.FromMinutes(15);
}
