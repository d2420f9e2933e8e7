using System.Text.Json;
using System.Text.RegularExpressions;

namespace Durably.Packaging.Tests;

/// <summary>
/// The Dockerfile without Docker: its build context keeps what the publish needs, and the binary its publish line
/// produces, run with its entry point's arguments and DURABLY_API_KEY, serves <c>/health</c>, which its health check
/// line confirms. The only change: the server binds 127.0.0.1 port 0 (tests never listen beyond loopback).
/// </summary>
public sealed partial class DockerfileTests : IDisposable
{
    private const string ApiKey = "dockerfile-test-api-key-0123456789abcdef";

    private static readonly string[] Dockerfile = File.ReadAllLines(Path.Combine(BuildInfo.RepositoryRoot, "Dockerfile"));

    private readonly string _folder = Directory.CreateTempSubdirectory("durably-dockerfile-").FullName;

    [Fact]
    public void The_build_context_keeps_the_sources_and_build_files_the_publish_needs()
    {
        string[] ignored = [.. File.ReadAllLines(Path.Combine(BuildInfo.RepositoryRoot, ".dockerignore"))
            .Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#'))];
        string[] needed = ["Directory.Build.props", "Directory.Packages.props", "global.json", "eng/BannedSymbols.txt", "src/Durably.Cli/Durably.Cli.csproj",
            "src/Directory.Build.props", "src/Durably/Durably.csproj", "src/Durably.Server/Console/wwwroot/index.html"];

        Assert.All(needed, path => Assert.True(File.Exists(Path.Combine(BuildInfo.RepositoryRoot, path)), $"{path} does not exist"));
        Assert.All(needed, path => Assert.DoesNotContain(ignored, pattern => Excludes(pattern, path)));
        Assert.Contains(ignored, pattern => Excludes(pattern, "src/Durably/obj/project.assets.json")); // no host build output in the context
    }

    [Fact]
    public void The_runtime_image_runs_as_a_non_root_user_with_a_data_volume()
    {
        Assert.Contains("USER app", Dockerfile);
        Assert.Contains("VOLUME /data", Dockerfile);
        Assert.Contains(Dockerfile, line => line.Contains("chown app:app /data", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_published_binary_runs_the_entry_point_and_passes_the_health_check()
    {
        // RUN dotnet publish … -o /app, with /app in a temp folder: the same command, run in the repository (the build context).
        string[] publish = Instruction("RUN", "dotnet publish ");
        string app = Path.Combine(_folder, "app");
        string[] arguments = [.. publish.Skip(1).Select(argument => argument == "/app" ? app : argument)];
        (await Dotnet.RunAsync(BuildInfo.RepositoryRoot, new Dictionary<string, string>(), arguments)).AssertSucceeded();

        // The image puts /app/Durably.Cli on the PATH as durably.
        Assert.Contains(Dockerfile, line => line.Contains("ln -s /app/Durably.Cli /usr/local/bin/durably", StringComparison.Ordinal));
        string durably = Path.Combine(app, "Durably.Cli");
        string data = Directory.CreateDirectory(Path.Combine(_folder, "data")).FullName;
        string[] entryPoint = ExecForm("ENTRYPOINT");
        Assert.Equal(["durably", "server", "--db", "/data/durably.db", "--urls", "http://0.0.0.0:8080"], entryPoint);
        string[] serverArguments = [.. entryPoint.Skip(1).Select(argument => argument
            .Replace("/data/", data + "/", StringComparison.Ordinal)
            .Replace("http://0.0.0.0:8080", "http://127.0.0.1:0", StringComparison.Ordinal))];
        await using ChildProcess server = await ChildProcess.StartExecutableAsync(durably, serverArguments, _folder,
            new Dictionary<string, string> { ["DURABLY_API_KEY"] = ApiKey });
        Assert.True(File.Exists(Path.Combine(data, "durably.db")), "the server did not create its database in the data folder");

        // HEALTHCHECK … CMD ["durably", "health", "--server", "http://127.0.0.1:8080"], against the port it bound.
        string[] healthCheck = ExecForm("HEALTHCHECK");
        Assert.Equal("durably", healthCheck[0]);
        string[] healthArguments = [.. healthCheck.Skip(1).Select(argument => argument.Replace("http://127.0.0.1:8080", server.Address.ToString().TrimEnd('/'), StringComparison.Ordinal))];
        CommandRun health = (await Dotnet.RunCommandAsync(durably, _folder, new Dictionary<string, string>(), healthArguments)).AssertSucceeded();
        Assert.Contains("\"Healthy\"", health.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The shell-form instruction whose text starts with <paramref name="prefix"/>, split into words.</summary>
    private static string[] Instruction(string keyword, string prefix)
    {
        string line = Assert.Single(Dockerfile, line => line.StartsWith($"{keyword} {prefix}", StringComparison.Ordinal));
        return line[(keyword.Length + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The JSON array (exec form) of the instruction's command.</summary>
    private static string[] ExecForm(string keyword)
    {
        string line = Assert.Single(Dockerfile, line => line.StartsWith(keyword + " ", StringComparison.Ordinal));
        return JsonSerializer.Deserialize<string[]>(ExecArray().Match(line).Value)!;
    }

    /// <summary>
    /// A .dockerignore pattern as used here: a name excludes that top-level entry, <c>**/name</c> that name at any depth,
    /// and <c>*</c> matches within one path segment.
    /// </summary>
    private static bool Excludes(string pattern, string path)
    {
        string[] segments = path.Split('/');
        bool anyDepth = pattern.StartsWith("**/", StringComparison.Ordinal);
        var segment = new Regex("^" + Regex.Escape(anyDepth ? pattern[3..] : pattern).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "$");
        return anyDepth ? segments.Any(segment.IsMatch) : segment.IsMatch(segments[0]);
    }

    [GeneratedRegex(@"\[.*\]")]
    private static partial Regex ExecArray();
}
