using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Durably.CrashSafety.Tests;

/// <summary>The sample server (samples/OrderProcessing) as a child process, on one SQLite file, killed with SIGKILL.</summary>
internal sealed class SampleServerProcess(string databasePath, string journalPath) : IDisposable
{
    private Process? _process;

    public int Port { get; } = FreePort();

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        string directory = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            Path.Combine(directory, "OrderProcessing.dll"), "--urls", BaseAddress.ToString().TrimEnd('/'),
            "--db", databasePath, "--side-effects", journalPath,
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the sample server.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        for (int i = 0; i < 600; i++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The sample server exited with code {_process.ExitCode} while starting.");
            }

            try
            {
                using HttpResponseMessage health = await http.GetAsync("health", cancellationToken);
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, cancellationToken);
        }

        throw new TimeoutException("The sample server did not answer /health within 30 s.");
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Kill();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
