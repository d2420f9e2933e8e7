using System.CommandLine;
using Durably.Cli.Api;

namespace Durably.Cli.Commands;

/// <summary>
/// <c>durably subscriptions add &lt;name&gt; --url &lt;url&gt; --pattern &lt;json&gt; [--secret s]</c>: adds (or replaces) a
/// webhook subscription on the running server (<c>POST /durably/subscriptions</c>; kept across restarts) and prints its
/// secret, which the receiver needs to verify signatures.
/// </summary>
internal static class SubscriptionsAddCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions options, CliConsole console)
    {
        var name = new Argument<string>("name") { Description = "The subscription name (1-64 characters of [a-zA-Z0-9-_])" };
        var url = new Option<string>("--url") { Description = "Where matching events are POSTed", HelpName = "url", Required = true };
        var pattern = new Option<string>("--pattern")
        {
            Description = """An EventBridge event pattern, e.g. '{"detail":{"status":["FAILED"]}}'""",
            HelpName = "json",
            Required = true,
        };
        var secret = new Option<string?>("--secret") { Description = "The signing secret, 32-256 characters (default: generated)", HelpName = "secret" };

        var command = new Command("add", "Add or replace a webhook subscription on the running server (kept across restarts)");
        command.Arguments.Add(name);
        command.Options.Add(url);
        command.Options.Add(pattern);
        command.Options.Add(secret);
        command.SetRun(options, console, async (runtime, parseResult, cancellationToken) =>
        {
            var subscription = new AddEventSubscription(parseResult.GetValue(name)!, parseResult.GetValue(url)!, parseResult.GetValue(pattern)!, parseResult.GetValue(secret));
            ApiResult<AddedEventSubscription> result = await runtime.Api.AddSubscriptionAsync(subscription, cancellationToken).ConfigureAwait(false);
            runtime.Console.Out.WriteLine(runtime.Json
                ? result.Json
                : $"subscribed {result.Value.Name} → {result.Value.Url}\nsecret: {result.Value.Secret}");
            return ExitCodes.Success;
        });
        return command;
    }
}
