namespace Durably;

/// <summary>
/// How a worker's durable function reaches the Durably server it checkpoints through. Bound from the configuration
/// section <c>Durably:Worker</c> (e.g. <c>Durably__Worker__ServerUrl=http://127.0.0.1:5080</c>), then the
/// <c>MapDurableFunction(…, options => …)</c> callback is applied.
/// </summary>
public sealed class DurableWorkerOptions
{
    /// <summary>The configuration section bound to these options.</summary>
    public const string ConfigurationSection = "Durably:Worker";

    /// <summary>The Durably server's base URL (required), e.g. <c>http://127.0.0.1:5080</c>.</summary>
    public Uri? ServerUrl { get; set; }

    /// <summary>The server's API key, sent as <c>Authorization: Bearer</c>; null when the server needs none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The function's name, for logger categories; null is the route pattern.</summary>
    public string? FunctionName { get; set; }

    /// <summary>The payload serializer; null is <see cref="JsonDurableSerializer.Default"/>.</summary>
    public IDurableSerializer? Serializer { get; set; }
}
