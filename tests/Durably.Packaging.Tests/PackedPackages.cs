using System.Security;

namespace Durably.Packaging.Tests;

/// <summary>
/// The solution packed once for all tests of the collection (<c>dotnet pack Durably.slnx --no-build</c>: this project
/// builds every src project), and a folder outside the repository where a user's projects restore those packages:
/// a nuget.config naming the packed folder (the only source of Durably packages) and the machine's upstream sources,
/// and a packages folder of its own (<c>NUGET_PACKAGES</c>), so a package from an earlier run can never be used.
/// </summary>
public sealed class PackedPackages : IAsyncLifetime
{
    public PackedPackages()
    {
        Root = Directory.CreateTempSubdirectory("durably-packaging-").FullName;
        Feed = Path.Combine(Root, "feed");
        Environment = new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = Path.Combine(Root, "packages"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        };
    }

    /// <summary>The folder of everything: feed, packages, the user's projects. Deleted at the end.</summary>
    public string Root { get; }

    /// <summary>The packed .nupkg and .snupkg files.</summary>
    public string Feed { get; }

    /// <summary>The variables every command of a user's project runs with.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public string Version => BuildInfo.Version;

    public async Task InitializeAsync()
    {
        // The machine's sources, read before our nuget.config exists (from the user and machine configuration).
        CommandRun sources = (await Dotnet.RunAsync(Root, Environment, "nuget", "list", "source", "--format", "Short")).AssertSucceeded();
        string[] upstream = [.. sources.Output.Split('\n', StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("E ", StringComparison.Ordinal)).Select(line => line[2..].Trim())];
        Assert.True(upstream.Length > 0, $"The machine has no enabled NuGet source:\n{sources.Output}");
        WriteIsolation(upstream);

        (await Dotnet.RunAsync(BuildInfo.RepositoryRoot, Environment,
            "pack", "Durably.slnx", "-c", BuildInfo.Configuration, "--no-build", "-o", Feed)).AssertSucceeded();
    }

    /// <summary>The path of a packed package, failing clearly when it was not produced.</summary>
    public string Package(string id)
    {
        string path = Path.Combine(Feed, $"{id}.{Version}.nupkg");
        Assert.True(File.Exists(path), $"{id}.{Version}.nupkg was not packed; the feed has: {string.Join(", ", Directory.GetFiles(Feed).Select(Path.GetFileName))}");
        return path;
    }

    /// <summary>A new empty folder for one user project under <see cref="Root"/>.</summary>
    public string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(Root, "projects", name)).FullName;

    /// <summary>Runs <c>dotnet</c> with <see cref="Environment"/> in <paramref name="folder"/>.</summary>
    public Task<CommandRun> DotnetAsync(string folder, params string[] arguments) => Dotnet.RunAsync(folder, Environment, arguments);

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>
    /// nuget.config with package source mapping: Durably packages only from the feed (an upstream package of the same
    /// name can never stand in), everything else from upstream; and empty Directory.Build/Packages files, so nothing
    /// above the temp folder applies to the user's projects.
    /// </summary>
    private void WriteIsolation(string[] upstream)
    {
        string sources = string.Join("\n", upstream.Select((url, i) => $"""    <add key="upstream{i}" value="{SecurityElement.Escape(url)}" />"""));
        string mappings = string.Join("\n", upstream.Select((_, i) => $"""    <packageSource key="upstream{i}"><package pattern="*" /></packageSource>"""));
        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="durably" value="{SecurityElement.Escape(Feed)}" />
            {sources}
              </packageSources>
              <packageSourceMapping>
                <packageSource key="durably"><package pattern="Durably" /><package pattern="Durably.*" /></packageSource>
            {mappings}
              </packageSourceMapping>
            </configuration>
            """);
        foreach (string file in (string[])["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props"])
        {
            File.WriteAllText(Path.Combine(Root, file), "<Project />\n");
        }
    }
}

/// <summary>The tests that use the packed packages: one pack, run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PackedPackagesCollection : ICollectionFixture<PackedPackages>
{
    public const string Name = "packed packages";
}
