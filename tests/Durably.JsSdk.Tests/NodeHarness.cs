using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;

namespace Durably.JsSdk.Tests;

/// <summary>
/// The Node process of tests/js-sdk-harness: installs its pinned npm packages (package-lock.json, including
/// the npm package <c>node@22</c> that ships the Node 22 binary AWS's SDK needs) into that folder's ignored
/// node_modules on first use, then runs <c>server.mjs</c> with that Node 22 on 127.0.0.1, port 0 — or, with
/// <see cref="RunScriptAsync"/>, a one-shot script of that folder.
/// </summary>
public sealed class NodeHarness : IAsyncDisposable
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _log;
    private readonly Task _drain;

    private NodeHarness(Process process, Uri baseUrl, StringBuilder log, Task drain)
    {
        _process = process;
        BaseUrl = baseUrl;
        _log = log;
        _drain = drain;
    }

    public static string Folder { get; } = FindFolder();

    /// <summary>The Node 22 binary installed by the npm package <c>node@22</c>.</summary>
    public static string NodeBinary => Path.Combine(Folder, "node_modules", "node", "bin", "node");

    /// <summary>http://127.0.0.1:port/ of the harness; each handler is at its own path below it.</summary>
    public Uri BaseUrl { get; }

    /// <summary>What the harness printed after its first line (SDK logs, invocation errors).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static Task<NodeHarness> StartAsync(CancellationToken cancellationToken)
        => StartScriptAsync(["server.mjs", "0"], new Dictionary<string, string>(), cancellationToken);

    /// <summary>
    /// Runs a script (a path in or below <see cref="Folder"/>, so that it finds the installed packages) that prints
    /// <c>listening &lt;port&gt;</c> first, with the extra <paramref name="environment"/> variables.
    /// </summary>
    public static async Task<NodeHarness> StartScriptAsync(
        IEnumerable<string> scriptAndArguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        await EnsureInstalledAsync(cancellationToken);
        var start = new ProcessStartInfo(NodeBinary)
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in scriptAndArguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string variable, string value) in environment)
        {
            start.Environment[variable] = value;
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {NodeBinary}.");
        var log = new StringBuilder();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            string? first = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (first is null || !first.StartsWith("listening ", StringComparison.Ordinal))
            {
                string errors = await process.StandardError.ReadToEndAsync(timeout.Token);
                throw new InvalidOperationException($"The harness did not start: '{first}'\n{errors}");
            }

            int port = int.Parse(first["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Task drain = Task.WhenAll(DrainAsync(process.StandardOutput, log), DrainAsync(process.StandardError, log));
            return new NodeHarness(process, new Uri($"http://127.0.0.1:{port}/"), log, drain);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Runs a script of the harness folder to its end with Node 22 and returns what it printed on stdout.</summary>
    public static async Task<string> RunScriptAsync(string script, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        await EnsureInstalledAsync(cancellationToken);
        (int exitCode, string output, string errors) = await ExecAsync(NodeBinary, [script, .. arguments], cancellationToken);
        return exitCode == 0 ? output : throw new InvalidOperationException($"node {script} exited with {exitCode}:\n{errors}\n{output}");
    }

    /// <summary>Tells the harness where the Durably server is (it starts after the harness).</summary>
    public async Task ConfigureAsync(Uri durablyEndpoint, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
        using HttpResponseMessage response = await http.PostAsJsonAsync("_configure", new { endpoint = durablyEndpoint.ToString().TrimEnd('/') }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Ends a script that does not exit when its stdin closes (SIGKILL, by its process id).</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Closing stdin makes server.mjs exit by itself; kill it if it does not within 5 s.
            _process.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        await _drain;
        _process.Dispose();
    }

    private static async Task DrainAsync(StreamReader reader, StringBuilder log)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }

    private static async Task EnsureInstalledAsync(CancellationToken cancellationToken)
    {
        await InstallLock.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(NodeBinary) && Directory.Exists(Path.Combine(Folder, "node_modules", "@aws", "durable-execution-sdk-js")))
            {
                return;
            }

            (int exitCode, string output, string errors) = await ExecAsync("npm", ["ci", "--no-audit", "--no-fund"], cancellationToken);
            if (exitCode != 0 || !File.Exists(NodeBinary))
            {
                throw new InvalidOperationException($"npm ci failed in {Folder} ({exitCode}), or installed no {NodeBinary}:\n{errors}\n{output}");
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>Runs a command in the harness folder to its end, capturing its output.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> ExecAsync(string command, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command}.");
        Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await errors);
    }

    private static string FindFolder()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Durably.slnx")))
            {
                return Path.Combine(directory.FullName, "tests", "js-sdk-harness");
            }
        }

        throw new DirectoryNotFoundException($"No Durably.slnx above {AppContext.BaseDirectory}: cannot find tests/js-sdk-harness.");
    }
}
