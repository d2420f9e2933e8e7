using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Durably.Cli.Api;
using Durably.Cli.Output;

namespace Durably.Cli.Commands;

/// <summary>
/// <c>durably functions add &lt;name&gt; --url &lt;url&gt;</c>: registers an HTTP function on the running server
/// (<c>POST /durably/functions</c>; the server keeps it in its store, so it survives restarts).
/// </summary>
internal static class FunctionsAddCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions options, CliConsole console)
    {
        var name = new Argument<string>("name") { Description = "The function name (1-64 characters of [a-zA-Z0-9-_])" };
        var url = new Option<Uri>("--url")
        {
            Description = "The endpoint the server POSTs invocation envelopes to",
            HelpName = "url",
            Required = true,
            CustomParser = ParseUrl,
        };
        var version = new Option<string?>("--version") { Description = "The version (the server's default is 1)", HelpName = "version" };
        Option<int?> executionTimeout = DurationOption("--execution-timeout", "How long an execution may run (default 1d)");
        Option<int?> invocationTimeout = DurationOption("--invocation-timeout", "How long one invocation may take, at most 15m (default 15m)");
        var retention = new Option<int?>("--retention-days") { Description = "Days a closed execution is kept, 1..90 (default 14)", HelpName = "days" };

        var command = new Command("add", "Register an HTTP function on the running server (kept across restarts)");
        command.Arguments.Add(name);
        command.Options.Add(url);
        command.Options.Add(version);
        command.Options.Add(executionTimeout);
        command.Options.Add(invocationTimeout);
        command.Options.Add(retention);
        command.SetRun(options, console, async (runtime, parseResult, cancellationToken) =>
        {
            var registration = new HttpFunctionRegistration
            {
                FunctionName = parseResult.GetValue(name)!,
                Url = parseResult.GetValue(url)!.AbsoluteUri,
                Version = parseResult.GetValue(version),
                ExecutionTimeout = parseResult.GetValue(executionTimeout),
                InvocationTimeout = parseResult.GetValue(invocationTimeout),
                RetentionPeriodInDays = parseResult.GetValue(retention),
            };
            ApiResult<HttpFunctionRegistration> result = await runtime.Api.AddHttpFunctionAsync(registration, cancellationToken).ConfigureAwait(false);
            HttpFunctionRegistration added = result.Value;
            runtime.Console.Out.WriteLine(runtime.Json
                ? result.Json
                : $"registered {added.FunctionArn} → {added.Url}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Uri? ParseUrl(ArgumentResult result)
    {
        string text = result.Tokens[0].Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        result.AddError($"--url: '{text}' is not an http:// or https:// URL.");
        return null;
    }

    /// <summary>A duration in whole seconds: <c>90</c>, <c>30s</c>, <c>15m</c>, <c>2h</c>, <c>7d</c>.</summary>
    private static Option<int?> DurationOption(string optionName, string description) => new(optionName)
    {
        Description = description + "; seconds, or with a unit: 30s, 15m, 2h, 7d",
        HelpName = "duration",
        CustomParser = result =>
        {
            string text = result.Tokens[0].Value;
            (string digits, int unit) = text.Length > 0 && char.IsLetter(text[^1])
                ? (text[..^1], char.ToLowerInvariant(text[^1]) switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86_400, _ => 0 })
                : (text, 1);
            if (unit > 0 && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value <= int.MaxValue / unit)
            {
                return value * unit;
            }

            result.AddError($"{optionName}: '{text}' is not a duration such as 90, 30s, 15m, 2h or 7d.");
            return null;
        },
    };
}
