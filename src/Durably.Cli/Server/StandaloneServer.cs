using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Durably.Cli.Server;

/// <summary>
/// The server of <c>durably server</c>: <c>MapDurably()</c> (REST API, console, webhooks, <c>/health</c>) on one SQLite
/// file, with the HTTP functions named in its configuration. Configuration comes from, lowest first: environment
/// variables, the JSON config file, the command line's flags (<see cref="Build"/>'s <c>flags</c>).
/// </summary>
internal static class StandaloneServer
{
    /// <summary>Where the server listens without <c>--urls</c>: where the tool's other commands look for it.</summary>
    public const string DefaultUrls = GlobalOptions.DefaultServer;

    /// <summary>The SQLite file without <c>--db</c>, in the working directory.</summary>
    public const string DefaultDatabase = "durably.db";

    /// <summary>The configuration section of HTTP functions: each key a function name, each value its URL.</summary>
    public const string FunctionsSection = "Functions";

    /// <summary>
    /// Builds the server. <paramref name="apiKey"/> (from <c>--api-key</c>, <c>--api-key-file</c> or <c>DURABLY_API_KEY</c>)
    /// is added to the keys of the configuration (<c>Durably:Server:ApiKeys</c>).
    /// </summary>
    /// <exception cref="CliUsageException">The config file, the database's folder or a function is not usable.</exception>
    /// <exception cref="InvalidOperationException">The server refuses its API keys (shorter than 32 characters).</exception>
    /// <exception cref="ServerStartException">The database cannot be opened (not a SQLite file, say).</exception>
    public static WebApplication Build(string? configFile, IReadOnlyDictionary<string, string?> flags, string? apiKey)
    {
        // The tool's own folder as content root: an appsettings.json where the user happens to stand is not read.
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        if (configFile is not null)
        {
            AddConfigFile(builder.Configuration, configFile);
        }

        builder.Configuration.AddInMemoryCollection(flags);
        builder.WebHost.UseUrls(builder.Configuration["urls"] ?? DefaultUrls);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        string database = DatabasePath(builder.Configuration);
        IDurablyBuilder durably = builder.Services.AddDurably()
            .UseSqlite(new SqliteConnectionStringBuilder { DataSource = database }.ToString());
        if (apiKey is not null)
        {
            durably.ConfigureServer(server => server.ApiKeys.Add(apiKey));
        }

        WebApplication? app = null;
        try
        {
            foreach ((string name, Uri url) in Functions(builder.Configuration))
            {
                durably.AddHttpFunction(name, url);
            }

            app = builder.Build();
            app.MapDurably();  // resolves the engine and opens the store: a bad function name or database is reported here
            return app;
        }
        catch (ArgumentException invalid)
        {
            (app as IDisposable)?.Dispose();
            throw new CliUsageException(invalid.Message);
        }
        catch (DbException store)
        {
            (app as IDisposable)?.Dispose();
            throw new ServerStartException($"cannot open the database {database}: {store.Message}", store);
        }
        catch
        {
            (app as IDisposable)?.Dispose();
            throw;
        }
    }

    /// <summary>The full path of the SQLite file (<c>db</c>); its folder must exist.</summary>
    public static string DatabasePath(IConfiguration configuration)
    {
        string path = Path.GetFullPath(configuration["db"] ?? DefaultDatabase);
        string folder = Path.GetDirectoryName(path)!;
        return Directory.Exists(folder) ? path : throw new CliUsageException($"--db: the folder {folder} does not exist.");
    }

    /// <summary>The HTTP functions of the <see cref="FunctionsSection"/> section, in name order.</summary>
    public static IEnumerable<(string Name, Uri Url)> Functions(IConfiguration configuration)
    {
        foreach (IConfigurationSection function in configuration.GetSection(FunctionsSection).GetChildren().OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (!Uri.TryCreate(function.Value, UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                throw new CliUsageException($"function '{function.Key}': '{function.Value}' is not an http:// or https:// URL.");
            }

            yield return (function.Key, url);
        }
    }

    private static void AddConfigFile(ConfigurationManager configuration, string configFile)
    {
        string path = Path.GetFullPath(configFile);
        try
        {
            // A ConfigurationManager loads a source as it is added: a missing or malformed file is reported here.
            configuration.AddJsonFile(path, optional: false, reloadOnChange: false);
        }
        catch (Exception error) when (error is FileNotFoundException or FormatException or InvalidDataException)
        {
            throw new CliUsageException($"--config: cannot read {path} as a JSON configuration file: {error.Message}");
        }
    }
}
