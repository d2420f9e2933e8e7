using System.CommandLine;

namespace Durably.Cli;

/// <summary>The options every command takes: where the server is, the API key, and the output form.</summary>
internal sealed class GlobalOptions
{
    /// <summary>The server used when neither <c>--server</c> nor <c>DURABLY_SERVER</c> names one.</summary>
    public const string DefaultServer = "http://127.0.0.1:5080";

    /// <summary><c>--server</c>.</summary>
    public Option<string?> Server { get; } = new("--server")
    {
        Description = $"The Durably server's URL [env: DURABLY_SERVER; default: {DefaultServer}]",
        HelpName = "url",
        Recursive = true,
    };

    /// <summary><c>--api-key</c>.</summary>
    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = "The API key, sent as 'Authorization: Bearer <key>' (visible to other local users in the process list: "
            + "prefer DURABLY_API_KEY or --api-key-file) [env: DURABLY_API_KEY]. invoke/list/get/history/export/functions need an Invoke key, "
            + "callback an Admin or Callbacks key, stop and functions add/remove an Admin key",
        HelpName = "key",
        Recursive = true,
    };

    /// <summary><c>--api-key-file</c>.</summary>
    public Option<FileInfo?> ApiKeyFile { get; } = new("--api-key-file")
    {
        Description = "Read the API key from this file (surrounding white space ignored)",
        HelpName = "path",
        Recursive = true,
    };

    /// <summary><c>--json</c>.</summary>
    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the API's JSON instead of tables",
        Recursive = true,
    };

    /// <summary>Adds the options to the root command (they apply to every subcommand).</summary>
    public void AddTo(Command root)
    {
        root.Options.Add(Server);
        root.Options.Add(ApiKey);
        root.Options.Add(ApiKeyFile);
        root.Options.Add(Json);
    }
}
