using System.CommandLine;
using Durably.Cli.Api;
using Durably.Cli.Output;

namespace Durably.Cli;

/// <summary>What a running command works with: the API client, the console, the output form and colours.</summary>
internal sealed class CommandRuntime : IDisposable
{
    private CommandRuntime(CliConsole console, DurablyApiClient api, bool json)
    {
        Console = console;
        Api = api;
        Json = json;
        Out = new Style(console.ColorOut);
        Err = new Style(console.ColorError);
    }

    /// <summary>The console.</summary>
    public CliConsole Console { get; }

    /// <summary>The server's API.</summary>
    public DurablyApiClient Api { get; }

    /// <summary>True for <c>--json</c>: print the API's JSON.</summary>
    public bool Json { get; }

    /// <summary>Colours for standard output.</summary>
    public Style Out { get; }

    /// <summary>Colours for standard error.</summary>
    public Style Err { get; }

    /// <summary>Resolves the server (<c>--server</c>, <c>DURABLY_SERVER</c>, default) and the API key.</summary>
    public static CommandRuntime Create(ParseResult parseResult, GlobalOptions options, CliConsole console)
    {
        string server = parseResult.GetValue(options.Server)
            ?? NonEmpty(console.GetEnvironmentVariable("DURABLY_SERVER"))
            ?? GlobalOptions.DefaultServer;
        if (!Uri.TryCreate(server, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliUsageException($"--server: '{server}' is not an http:// or https:// URL.");
        }

        string? apiKey = ApiKey(parseResult, options, console);
        var runtime = new CommandRuntime(console, new DurablyApiClient(uri, apiKey), parseResult.GetValue(options.Json));
        if (apiKey is not null && uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            runtime.Note($"warning: the API key is sent over plain http:// to {uri.Host}, which is not this machine: anyone on the way can read it. Use https://.");
        }

        return runtime;
    }

    /// <summary>The API key: <c>--api-key</c>, else the file of <c>--api-key-file</c>, else <c>DURABLY_API_KEY</c>; null for none.</summary>
    public static string? ApiKey(ParseResult parseResult, GlobalOptions options, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(console);
        return parseResult.GetValue(options.ApiKey)
            ?? ReadKeyFile(parseResult.GetValue(options.ApiKeyFile))
            ?? NonEmpty(console.GetEnvironmentVariable("DURABLY_API_KEY"));
    }

    /// <summary>The key in <c>--api-key-file</c>, without surrounding white space (a trailing newline, say).</summary>
    private static string? ReadKeyFile(FileInfo? file)
    {
        if (file is null)
        {
            return null;
        }

        try
        {
            return NonEmpty(File.ReadAllText(file.FullName).Trim())
                ?? throw new CliUsageException($"--api-key-file: '{file.FullName}' is empty.");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"--api-key-file: cannot read '{file.FullName}': {error.Message}");
        }
    }

    /// <summary>Writes a note for people to standard error (never in the way of piped output).</summary>
    public void Note(string text) => Console.Error.WriteLine(Err.Dim(text));

    /// <inheritdoc />
    public void Dispose() => Api.Dispose();

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
