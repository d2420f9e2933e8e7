namespace Durably;

/// <summary>
/// An API key limited to some scopes (<see cref="DurablyServerOptions.ScopedApiKeys"/>; in configuration
/// <c>Durably:Server:ScopedApiKeys:0:Key</c> and <c>Durably:Server:ScopedApiKeys:0:Scopes:0</c>).
/// </summary>
public sealed class DurablyApiKey
{
    /// <summary>The key: at least <see cref="DurablyServerOptions.MinimumApiKeyLength"/> characters.</summary>
    public string Key { get; set; } = "";

    /// <summary>What the key may do; a key needs at least one scope.</summary>
    public IList<DurablyApiScope> Scopes { get; } = [];
}
