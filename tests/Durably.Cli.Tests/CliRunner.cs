namespace Durably.Cli.Tests;

/// <summary>The outcome of one in-process run of the tool.</summary>
public sealed record CliRun(int ExitCode, string Out, string Err)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Err}";

    /// <summary>Asserts the exit code, showing both streams when it differs.</summary>
    public void AssertExit(int expected) => Assert.True(ExitCode == expected, $"expected exit {expected}; got {this}");

    /// <summary>Standard output's lines, without the trailing empty one.</summary>
    public string[] Lines => Out.TrimEnd('\n').Split('\n');
}

/// <summary>Runs the tool's entry point in process with captured streams and a made-up environment.</summary>
public static class CliRunner
{
    /// <summary>Runs against <paramref name="server"/> (given as <c>DURABLY_SERVER</c>), bounded by 30 s.</summary>
    public static Task<CliRun> RunAsync(Uri? server, params string[] args) => RunWithInputAsync(server, stdin: "", environment: null, args);

    public static async Task<CliRun> RunWithInputAsync(Uri? server, string stdin, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>());
        if (server is not null)
        {
            env.TryAdd("DURABLY_SERVER", server.ToString());
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        CliConsole console = Console(output, error, new StringReader(stdin), env);
        int exitCode = await DurablyCli.RunAsync(args, console, timeout.Token);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>A console of captured streams: not a terminal, so no colours.</summary>
    internal static CliConsole Console(TextWriter output, TextWriter error, TextReader input, IReadOnlyDictionary<string, string> environment) => new()
    {
        Out = output,
        Error = error,
        In = input,
        GetEnvironmentVariable = name => environment.GetValueOrDefault(name),
    };
}
