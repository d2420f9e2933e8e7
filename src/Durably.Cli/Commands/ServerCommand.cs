using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.CompilerServices;
using Durably.Cli.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Durably.Cli.Commands;

/// <summary>
/// <c>durably server</c>: runs a Durably server with no C# to write (docs/local-development.md): the REST API, the
/// console, webhooks and HTTP functions on one SQLite file, until Ctrl+C (or SIGTERM).
/// </summary>
internal static class ServerCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions options, CliConsole console)
    {
        var database = new Option<string?>("--db")
        {
            Description = $"The SQLite file, created when missing (default: {StandaloneServer.DefaultDatabase} in the working directory)",
            HelpName = "path",
        };
        var urls = new Option<string?>("--urls")
        {
            Description = $"Where to listen, ';'-separated (default: {StandaloneServer.DefaultUrls}). Other than loopback needs an API key",
            HelpName = "urls",
        };
        var config = new Option<string?>("--config")
        {
            Description = "A JSON configuration file: db, urls, Functions {name: url}, Durably:Server (ApiKeys, ScopedApiKeys, HttpFunctionHosts), Logging",
            HelpName = "path",
        };
        var functions = new Option<string[]>("--function")
        {
            Description = "An HTTP function, name=url (repeatable); more can be added at run time with 'durably functions add'",
            HelpName = "name=url",
            AllowMultipleArgumentsPerToken = false,
            CustomParser = ParseFunctions,
        };

        var command = new Command("server", "Run a Durably server: REST API, console, webhooks and HTTP functions on a SQLite file");
        command.Options.Add(database);
        command.Options.Add(urls);
        command.Options.Add(config);
        command.Options.Add(functions);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            AddIfSet(flags, "db", parseResult.GetValue(database));
            AddIfSet(flags, "urls", parseResult.GetValue(urls));
            foreach (string function in parseResult.GetValue(functions) ?? [])
            {
                int equals = function.IndexOf('=', StringComparison.Ordinal);
                flags[$"{StandaloneServer.FunctionsSection}:{function[..equals]}"] = function[(equals + 1)..];
            }

            string? apiKey = CommandRuntime.ApiKey(parseResult, options, console);
            WebApplication app;
            try
            {
                app = StandaloneServer.Build(parseResult.GetValue(config), flags, apiKey);
            }
            catch (InvalidOperationException refused)
            {
                return Refused(console, refused);
            }
            catch (ServerStartException failed)
            {
                return Failed(console, failed.Message);
            }

            await using ConfiguredAsyncDisposable disposeApp = app.ConfigureAwait(false);
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException refused)
            {
                return Refused(console, refused);
            }
            catch (IOException bindFailed)
            {
                // Kestrel could not listen: most often another server on the port.
                return Failed(console, bindFailed.Message);
            }

            PrintBanner(console, app, apiKey is not null);
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The server's own checks failed: a key shorter than 32 characters, a non-loopback address without a key.</summary>
    private static int Refused(CliConsole console, InvalidOperationException refused)
    {
        Failed(console, refused.Message);
        console.Error.WriteLine("The server's API key: DURABLY_API_KEY, --api-key-file <path> or --api-key (at least 32 characters: openssl rand -hex 32).");
        return ExitCodes.Failure;
    }

    private static int Failed(CliConsole console, string message)
    {
        console.Error.WriteLine($"error: {message}");
        return ExitCodes.Failure;
    }

    private static void AddIfSet(Dictionary<string, string?> flags, string key, string? value)
    {
        if (value is not null)
        {
            flags[key] = value;
        }
    }

    private static string[] ParseFunctions(ArgumentResult result)
    {
        string[] values = [.. result.Tokens.Select(token => token.Value)];
        foreach (string value in values.Where(value => value.IndexOf('=', StringComparison.Ordinal) <= 0))
        {
            result.AddError($"--function: '{value}' is not name=url, such as orders=http://127.0.0.1:3000/orders.");
        }

        return values;
    }

    private static void PrintBanner(CliConsole console, WebApplication app, bool keyFromCommandLine)
    {
        string url = app.Urls.First().TrimEnd('/');
        string functions = string.Join(", ", StandaloneServer.Functions(app.Configuration).Select(f => $"{f.Name} → {f.Url}"));
        console.Out.WriteLine($$"""
            Durably server on {{string.Join(", ", app.Urls)}} (store: {{StandaloneServer.DatabasePath(app.Configuration)}})
              console:   {{url}}/
              functions: {{(functions.Length == 0 ? "none yet: durably functions add <name> --url <url>" : functions)}}
              AWS SDKs:  AWS_ENDPOINT_URL_LAMBDA={{url}}{{(keyFromCommandLine ? " (the API key as the access key id)" : "")}}
            Ctrl+C stops it; executions resume where they were when it starts again.
            """);
    }
}
