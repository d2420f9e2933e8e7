using System.Diagnostics;

namespace Durably.OfficialClient.Tests;

/// <summary>
/// Runs tests/official-client/drive.mjs with the machine's Node.js, installing its pinned npm
/// packages (package-lock.json) into that folder's ignored node_modules on first use.
/// </summary>
internal static class NodeScript
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static string Folder { get; } = FindFolder();

    public static async Task<string> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        await EnsureInstalledAsync(cancellationToken);
        (int exitCode, string output, string errors) = await ExecAsync("node", ["drive.mjs", .. arguments], cancellationToken);
        return exitCode == 0 ? output : throw new InvalidOperationException($"node drive.mjs exited with {exitCode}:\n{errors}\n{output}");
    }

    private static async Task EnsureInstalledAsync(CancellationToken cancellationToken)
    {
        await InstallLock.WaitAsync(cancellationToken);
        try
        {
            if (Directory.Exists(Path.Combine(Folder, "node_modules", "@aws-sdk", "client-lambda")))
            {
                return;
            }

            (int exitCode, string output, string errors) = await ExecAsync("npm", ["ci", "--no-audit", "--no-fund"], cancellationToken);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"npm ci failed in {Folder} ({exitCode}):\n{errors}\n{output}");
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task<(int ExitCode, string Output, string Errors)> ExecAsync(string command, IEnumerable<string> arguments, CancellationToken cancellationToken)
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
                return Path.Combine(directory.FullName, "tests", "official-client");
            }
        }

        throw new DirectoryNotFoundException($"No Durably.slnx above {AppContext.BaseDirectory}: cannot find tests/official-client.");
    }
}
