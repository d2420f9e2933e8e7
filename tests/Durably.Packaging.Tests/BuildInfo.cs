using System.Reflection;

namespace Durably.Packaging.Tests;

/// <summary>What the build of this test project knew: the repository, the packages' version, the configuration.</summary>
internal static class BuildInfo
{
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    public static string Version { get; } = Metadata("DurablyVersion");

    public static string Configuration { get; } = Metadata("Configuration");

    private static string Metadata(string key) =>
        typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == key).Value!;
}
