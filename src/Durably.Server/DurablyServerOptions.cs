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

    /// <summary>The shortest API key the server accepts: a shorter one stops the server at startup.</summary>
    public const int MinimumApiKeyLength = 32;

    /// <summary>
    /// Admin API keys (every route, <see cref="DurablyApiScope.Admin"/>), any of which authenticates a request
    /// (<c>Authorization: Bearer &lt;key&gt;</c>, <c>X-Api-Key: &lt;key&gt;</c>, or an AWS SigV4 <c>Authorization</c>
    /// whose access key id is the key). Each is at least <see cref="MinimumApiKeyLength"/> characters.
    /// With neither these nor <see cref="ScopedApiKeys"/>: no authentication, allowed only while the server listens on
    /// loopback addresses, and only for requests a browser page cannot forge (docs/security.md).
    /// </summary>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>
    /// API keys limited to some scopes, such as a worker's <see cref="DurablyApiScope.DataPlane"/> key (docs/security.md).
    /// A request with a valid key lacking the route's scope is refused with 403 <c>AccessDeniedException</c>.
    /// </summary>
    public IList<DurablyApiKey> ScopedApiKeys { get; } = [];

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
