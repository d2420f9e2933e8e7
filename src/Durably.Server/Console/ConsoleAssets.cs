using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Durably.Server.Console;

/// <summary>One file of the console, read once from the assembly's embedded resources.</summary>
/// <param name="Content">The file's bytes.</param>
/// <param name="ContentType">Its media type, with the charset for text.</param>
/// <param name="ETag">A strong validator: a hash of <paramref name="Content"/>, quoted.</param>
internal sealed record ConsoleAsset(byte[] Content, string ContentType, string ETag);

/// <summary>
/// The console's static files (HTML, JavaScript modules, CSS), embedded in Durably.Server under the logical names
/// <c>DurablyConsole/&lt;path&gt;</c> (see the csproj). Only files with a known type are served.
/// </summary>
internal static class ConsoleAssets
{
    private const string ResourcePrefix = "DurablyConsole/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".txt"] = "text/plain; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every file by its path relative to the console's root (<c>index.html</c>, <c>js/main.js</c>, …).</summary>
    public static FrozenDictionary<string, ConsoleAsset> All { get; } = Load();

    private static FrozenDictionary<string, ConsoleAsset> Load()
    {
        Assembly assembly = typeof(ConsoleAssets).Assembly;
        var assets = new Dictionary<string, ConsoleAsset>(StringComparer.Ordinal);
        foreach (string name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal)
                || !ContentTypes.TryGetValue(Path.GetExtension(name), out string? contentType))
            {
                continue;
            }

            using Stream stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            byte[] content = buffer.ToArray();
            string etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12))}\"";
            assets[name[ResourcePrefix.Length..]] = new ConsoleAsset(content, contentType, etag);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
