using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Durably.TestSupport;

/// <summary>
/// A .NET app (a sample server or worker) in its own process on 127.0.0.1. It binds the port itself (port 0 unless
/// told otherwise) and the address is read from its "Now listening on:" log line, so no port is reserved and released
/// before the child binds it. Stopped with SIGKILL, by its process id.
/// </summary>
public sealed partial class ChildProcess : IDisposable, IAsyncDisposable
{
    /// <summary>How long a child may take to start listening.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _name;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process, string name)
    {
        _process = process;
        _name = name;
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The address the child listens on, ending in <c>/</c>.</summary>
    public Uri Address => _listening.Task.Result;

    public int ProcessId => _process.Id;

    /// <summary>What the child printed so far (standard output and error).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Runs <c>dotnet <paramref name="dll"/> <paramref name="arguments"/> --urls <paramref name="urls"/></c> in the dll's
    /// folder and waits (at most <see cref="StartTimeout"/>) until it says it listens.
    /// </summary>
    public static Task<ChildProcess> StartAsync(
        string dll, IEnumerable<string> arguments, string urls = "http://127.0.0.1:0", CancellationToken cancellationToken = default)
        => StartExecutableAsync("dotnet", [dll, .. arguments, "--urls", urls], System.IO.Path.GetDirectoryName(dll)!, environment: null, cancellationToken);

    /// <summary>
    /// Runs <paramref name="executable"/> (an app host, a .NET tool's shim, or <c>dotnet</c>) with exactly <paramref name="arguments"/>
    /// and the extra <paramref name="environment"/> variables, and waits (at most <see cref="StartTimeout"/>) until it says it listens.
    /// </summary>
    public static async Task<ChildProcess> StartExecutableAsync(
        string executable, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        List<string> args = [.. arguments];
        args.ForEach(start.ArgumentList.Add);
        foreach ((string variable, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[variable] = value;
        }

        string name = System.IO.Path.GetFileNameWithoutExtension(executable == "dotnet" ? args[0] : executable);
        var child = new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start."), name);
        try
        {
            await child.WaitUntilListeningAsync(cancellationToken);
            return child;
        }
        catch
        {
            child.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash. Waits until the process is gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        Task exited = _process.WaitForExitAsync(cancellationToken);
        try
        {
            await Task.WhenAny(_listening.Task, exited).WaitAsync(StartTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{_name} did not print 'Now listening on:' within {StartTimeout.TotalSeconds} s. Output:\n{Output}");
        }

        if (!_listening.Task.IsCompleted)
        {
            throw new InvalidOperationException($"{_name} exited with code {_process.ExitCode} before listening. Output:\n{Output}");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } listening)
        {
            _listening.TrySetResult(new Uri(listening.Groups[1].Value + "/"));
        }
    }

    /// <summary>ASP.NET Core's startup log line (Microsoft.Hosting.Lifetime), which names the port actually bound.</summary>
    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
