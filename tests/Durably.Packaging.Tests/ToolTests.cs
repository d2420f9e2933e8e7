namespace Durably.Packaging.Tests;

/// <summary>The packed <c>durably</c> tool, installed as a user installs it, runs a standalone server.</summary>
[Collection(PackedPackagesCollection.Name)]
public sealed class ToolTests(PackedPackages packages)
{
    [Fact]
    public async Task The_installed_tool_serves_a_durable_function_registered_by_flag()
    {
        string tools = packages.NewFolder("tools");
        (await packages.DotnetAsync(packages.Root, "tool", "install", "Durably.Cli", "--version", packages.Version, "--tool-path", tools)).AssertSucceeded();

        string folder = packages.NewFolder("tool-server");
        await using ChildProcess server = await ChildProcess.StartExecutableAsync(Path.Combine(tools, "durably"),
            ["server", "--db", Path.Combine(folder, "durably.db"), "--urls", "http://127.0.0.1:0", "--function", "remote=http://127.0.0.1:9/remote"],
            folder, packages.Environment);
        using var http = new HttpClient { BaseAddress = server.Address };

        Assert.Contains("\"Healthy\"", await http.GetStringAsync("health"), StringComparison.Ordinal);
        Assert.Contains("\"remote\"", await http.GetStringAsync("2015-03-31/functions"), StringComparison.Ordinal);
    }
}
