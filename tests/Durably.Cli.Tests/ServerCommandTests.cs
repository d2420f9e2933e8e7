using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;

namespace Durably.Cli.Tests;

/// <summary><c>durably server</c> as a real process (the tool's own dll), and its refusals in process.</summary>
public sealed class ServerCommandTests : IDisposable
{
    private const string ApiKey = "standalone-server-test-key-0123456789abcdef";

    private readonly TempSqliteFile _database = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("durably-server-").FullName;

    private static string ToolDll => Path.Combine(AppContext.BaseDirectory, "Durably.Cli.dll");

    [Fact]
    public async Task Serves_the_functions_of_its_flags_and_config_file_with_the_api_console_and_health()
    {
        string config = Path.Combine(_folder, "durably.json");
        File.WriteAllText(config, """{ "Functions": { "from-config": "http://127.0.0.1:9/config" } }""");
        await using ChildProcess server = await ChildProcess.StartAsync(ToolDll,
            ["server", "--db", _database.Path, "--config", config, "--function", "from-flag=http://127.0.0.1:9/flag"]);
        using var http = new HttpClient { BaseAddress = server.Address };

        using JsonDocument functions = JsonDocument.Parse(await http.GetStringAsync("2015-03-31/functions"));
        string[] names = [.. functions.RootElement.GetProperty("Functions").EnumerateArray().Select(f => f.GetProperty("FunctionName").GetString()!).Order()];
        Assert.Equal(["from-config", "from-flag"], names);
        Assert.Contains("\"Healthy\"", await http.GetStringAsync("health"), StringComparison.Ordinal);
        Assert.Contains("<html", await http.GetStringAsync(""), StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"store: {_database.Path}", server.Output, StringComparison.Ordinal);

        CliRun health = await CliRunner.RunAsync(server.Address, "health");
        health.AssertExit(0);
        Assert.Contains("\"Healthy\"", health.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_api_key_file_it_answers_only_requests_that_carry_the_key()
    {
        string keyFile = Path.Combine(_folder, "key");
        File.WriteAllText(keyFile, ApiKey + "\n");
        await using ChildProcess server = await ChildProcess.StartAsync(ToolDll, ["server", "--db", _database.Path, "--api-key-file", keyFile]);
        using var http = new HttpClient { BaseAddress = server.Address };

        using HttpResponseMessage anonymous = await http.GetAsync("2015-03-31/functions");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var keyed = new HttpRequestMessage(HttpMethod.Get, "2015-03-31/functions");
        keyed.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        using HttpResponseMessage answer = await http.SendAsync(keyed);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    [Fact]
    public async Task Without_a_key_it_refuses_to_listen_beyond_loopback()
    {
        CliRun run = await CliRunner.RunAsync(null, "server", "--db", _database.Path, "--urls", "http://0.0.0.0:0");

        run.AssertExit(1);
        Assert.Contains("not a loopback address, and no API key is configured", run.Err, StringComparison.Ordinal);
        Assert.Contains("DURABLY_API_KEY", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_key_is_refused()
    {
        CliRun run = await CliRunner.RunWithInputAsync(null, "", new Dictionary<string, string> { ["DURABLY_API_KEY"] = "too-short" },
            "server", "--db", _database.Path, "--urls", "http://127.0.0.1:0");

        run.AssertExit(1);
        Assert.Contains("32", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_an_error_that_says_so()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        CliRun run = await CliRunner.RunAsync(null, "server", "--db", _database.Path, "--urls", $"http://127.0.0.1:{port}");

        run.AssertExit(1);
        Assert.Contains($"127.0.0.1:{port}", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_an_error_that_names_it()
    {
        File.WriteAllText(_database.Path, "these bytes are text, not the header of a SQLite database file");

        CliRun run = await CliRunner.RunAsync(null, "server", "--db", _database.Path, "--urls", "http://127.0.0.1:0");

        run.AssertExit(1);
        Assert.Contains($"cannot open the database {_database.Path}", run.Err, StringComparison.Ordinal);
        Assert.Equal("these bytes are text, not the header of a SQLite database file", File.ReadAllText(_database.Path));
    }

    [Theory]
    [InlineData("--function", "no-equals-sign", "is not name=url")]
    [InlineData("--function", "orders=not-a-url", "function 'orders': 'not-a-url' is not an http:// or https:// URL")]
    [InlineData("--function", "bad name!=http://127.0.0.1:9/x", "Function name 'bad name!' must be 1-64 characters")]
    [InlineData("--config", "/nonexistent/durably.json", "--config: cannot read /nonexistent/durably.json")]
    [InlineData("--db", "/nonexistent/folder/durably.db", "--db: the folder /nonexistent/folder does not exist")]
    public async Task Bad_options_are_usage_errors_that_say_what_is_wrong(string option, string value, string message)
    {
        string[] args = option == "--db" ? ["server", option, value] : ["server", "--db", _database.Path, option, value];
        CliRun run = await CliRunner.RunAsync(null, args);

        run.AssertExit(2);
        Assert.Contains(message, run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_of_an_unreachable_server_fails()
    {
        using var port = new UnreachablePort();
        CliRun run = await CliRunner.RunAsync(port.Address, "health");

        run.AssertExit(1);
        Assert.Contains("cannot reach the Durably server", run.Err, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _database.Delete();
        Directory.Delete(_folder, recursive: true);
    }
}
