using System.CommandLine;
using System.Text.Json;
using Durably.Cli.Api;

namespace Durably.Cli.Commands;

/// <summary>
/// <c>durably health</c>: asks the server's <c>GET /health</c> and prints its answer; exit code 0 when healthy, 1 when
/// not or unreachable (the container image's HEALTHCHECK, which has no curl).
/// </summary>
internal static class HealthCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions options, CliConsole console)
    {
        var command = new Command("health", "Check that the server is up and its store answers (GET /health)");
        command.SetRun(options, console, async (runtime, _, cancellationToken) =>
        {
            ApiResult<JsonElement> health = await runtime.Api.GetHealthAsync(cancellationToken).ConfigureAwait(false);
            runtime.Console.Out.WriteLine(health.Json);
            return ExitCodes.Success;
        });
        return command;
    }
}
