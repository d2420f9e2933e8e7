using System.Text.RegularExpressions;
using Durably.TestSupport;

namespace Durably.JsSdk.Tests;

/// <summary>
/// docs/local-development.md, run as written: its handler.mjs and serve.mjs (taken from the page's code blocks) on
/// AWS's SDK, found by <c>AWS_ENDPOINT_URL_LAMBDA</c>; <c>durably server</c>, <c>durably functions add</c> and
/// <c>durably invoke</c> from the tool's own dll. Only the ports differ: free ones instead of 5080 and 3000.
/// </summary>
public sealed partial class LocalDevelopmentTests : IDisposable
{
    private static readonly string Page = File.ReadAllText(Path.Combine(NodeHarness.Folder, "..", "..", "docs", "local-development.md"));

    private static string Tool => Path.Combine(AppContext.BaseDirectory, "Durably.Cli.dll");

    // Below the harness folder, so that Node resolves the harness's installed packages, as after the page's npm install.
    private readonly string _folder = Directory.CreateDirectory(Path.Combine(NodeHarness.Folder, $"local-dev-{Guid.NewGuid():N}")).FullName;
    private readonly TempSqliteFile _database = new();

    [Fact]
    public async Task The_documented_handler_runs_on_durably_server_with_AWS_ENDPOINT_URL_LAMBDA()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        File.WriteAllText(Path.Combine(_folder, "handler.mjs"), CodeBlock("handler.mjs"));
        File.WriteAllText(Path.Combine(_folder, "serve.mjs"), CodeBlock("serve.mjs"));

        // durably server
        await using ChildProcess server = await ChildProcess.StartAsync(Tool, ["server", "--db", _database.Path], cancellationToken: timeout.Token);
        string endpoint = server.Address.ToString().TrimEnd('/');

        // AWS_ENDPOINT_URL_LAMBDA=… AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local node serve.mjs
        await using NodeHarness serve = await NodeHarness.StartScriptAsync([Path.Combine(_folder, "serve.mjs")], new Dictionary<string, string>
        {
            ["PORT"] = "0",
            ["AWS_ENDPOINT_URL_LAMBDA"] = endpoint,
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "local",
            ["AWS_SECRET_ACCESS_KEY"] = "local",
        }, timeout.Token);
        try
        {
            // durably functions add hello --url http://127.0.0.1:3000/hello
            await DurablyAsync(timeout.Token, "functions", "add", "hello", "--url", new Uri(serve.BaseUrl, "hello").ToString(), "--server", endpoint);

            // durably invoke hello '{"name":"Ada"}'
            string result = await DurablyAsync(timeout.Token, "invoke", "hello", """{"name":"Ada"}""", "--server", endpoint);
            Assert.Contains("""{"greeting":"Hello, Ada!","shouted":"HELLO, ADA!"}""", result, StringComparison.Ordinal);
        }
        finally
        {
            serve.Kill();
        }
    }

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        _database.Delete();
    }

    /// <summary>The page's JavaScript block whose first line is <c>// <paramref name="file"/></c>.</summary>
    private static string CodeBlock(string file)
    {
        Match block = JsBlock().Matches(Page).SingleOrDefault(match => match.Groups[1].Value.StartsWith($"// {file}\n", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"docs/local-development.md has no ```js block starting with '// {file}'.");
        return block.Groups[1].Value;
    }

    private static async Task<string> DurablyAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        (int exitCode, string output, string errors) = await NodeHarness.ExecAsync("dotnet", [Tool, .. arguments], cancellationToken);
        Assert.True(exitCode == 0, $"durably {string.Join(' ', arguments)} exited with {exitCode}:\n{errors}\n{output}");
        return output;
    }

    [GeneratedRegex("```js\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsBlock();
}
