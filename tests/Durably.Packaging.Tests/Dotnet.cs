using System.Diagnostics;
using System.Text;

namespace Durably.Packaging.Tests;

/// <summary>The outcome of one command run to its end.</summary>
public sealed record CommandRun(string CommandLine, int ExitCode, string Output)
{
    /// <summary>Asserts exit code 0, showing the command and everything it printed otherwise.</summary>
    public CommandRun AssertSucceeded()
    {
        Assert.True(ExitCode == 0, $"'{CommandLine}' exited with {ExitCode}:\n{Output}");
        return this;
    }
}

/// <summary>
/// Runs the <c>dotnet</c> CLI (or another command) as a user would, to its end, bounded in time. The MSBuild variables
/// of the <c>dotnet test</c> that runs these tests are removed, so each command resolves its SDK and tasks afresh, and
/// MSBuild's node reuse is off.
/// </summary>
public static class Dotnet
{
    /// <summary>Longer than any restore, build or test run here takes on 2 busy cores.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static Task<CommandRun> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
        => RunCommandAsync("dotnet", workingDirectory, environment, arguments);

    public static async Task<CommandRun> RunCommandAsync(
        string command, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        foreach (string inherited in start.Environment.Keys.Where(key => key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        // No MSBuild worker nodes left running after the command (they would outlive the test run).
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach ((string variable, string value) in environment)
        {
            start.Environment[variable] = value;
        }

        string commandLine = $"{command} {string.Join(' ', arguments)}";
        var output = new StringBuilder();
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"'{commandLine}' did not start.");
        process.OutputDataReceived += (_, line) => Append(output, line.Data);
        process.ErrorDataReceived += (_, line) => Append(output, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{commandLine}' did not end within {Timeout.TotalMinutes} minutes. Output:\n{output}");
        }

        process.WaitForExit(); // flushes the asynchronous output readers
        lock (output)
        {
            return new CommandRun(commandLine, process.ExitCode, output.ToString());
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
