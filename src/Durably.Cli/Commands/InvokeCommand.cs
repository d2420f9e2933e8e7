using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Durably.Cli.Api;

namespace Durably.Cli.Commands;

/// <summary><c>durably invoke &lt;function&gt; [payload]</c>: starts an execution; waits for its result unless <c>--async</c>.</summary>
internal static class InvokeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions options, CliConsole console)
    {
        var function = new Argument<string>("function") { Description = "The function: name, name:version or function ARN" };
        var payload = new Payload();
        var name = new Option<string?>("--name", "-n") { Description = "The execution name (idempotent: the same name and payload re-attach)", HelpName = "name" };
        var async = new Option<bool>("--async") { Description = "Start the execution and print its ARN without waiting" };
        var qualifier = new Option<string?>("--qualifier", "-q") { Description = "The function version (default: the latest)", HelpName = "version" };

        var command = new Command("invoke", "Start a durable execution; print its result (or, with --async, its ARN)");
        command.Arguments.Add(function);
        payload.AddTo(command);
        command.Options.Add(name);
        command.Options.Add(async);
        command.Options.Add(qualifier);
        command.SetRun(options, console, async (runtime, parseResult, cancellationToken) =>
        {
            byte[] body = await payload.ReadAsync(parseResult, console, cancellationToken).ConfigureAwait(false);
            InvokeResult result = await runtime.Api.InvokeAsync(
                parseResult.GetValue(function)!, parseResult.GetValue(qualifier), body, parseResult.GetValue(name), parseResult.GetValue(async), cancellationToken)
                .ConfigureAwait(false);
            return runtime.Json ? WriteJson(runtime, result) : WriteText(runtime, result, parseResult.GetValue(async));
        });
        return command;
    }

    /// <summary>AWS CLI's <c>lambda invoke</c> shape: <c>{StatusCode, ExecutedVersion, DurableExecutionArn, FunctionError, Payload}</c>.</summary>
    private static int WriteJson(CommandRuntime runtime, InvokeResult result)
    {
        var document = new JsonObject { ["StatusCode"] = result.StatusCode };
        Add(document, "ExecutedVersion", result.ExecutedVersion);
        Add(document, "DurableExecutionArn", result.DurableExecutionArn);
        Add(document, "FunctionError", result.FunctionError);
        Add(document, "Payload", result.StatusCode == 200 ? result.Payload : null);
        runtime.Console.Out.WriteLine(document.ToJsonString());
        return result.FunctionError is null ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static int WriteText(CommandRuntime runtime, InvokeResult result, bool async)
    {
        string arn = result.DurableExecutionArn ?? "(the server named no execution)";
        if (result.StatusCode == 202)
        {
            runtime.Console.Out.WriteLine(arn);
            if (!async)
            {
                runtime.Note($"still running after the synchronous wait; follow it with: durably history {arn} --follow");
            }

            return ExitCodes.Success;
        }

        runtime.Note($"execution {arn}");
        if (result.FunctionError is not null)
        {
            runtime.Console.Error.WriteLine($"{runtime.Err.Red("error:")} the execution failed: {FunctionError(result.Payload)}");
            return ExitCodes.Failure;
        }

        runtime.Console.Out.WriteLine(result.Payload);
        return ExitCodes.Success;
    }

    /// <summary>The Lambda-style error body <c>{"errorType","errorMessage"}</c> as <c>type: message</c>.</summary>
    private static string FunctionError(string payload)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(payload);
            JsonElement root = document.RootElement;
            string? type = root.TryGetProperty("errorType", out JsonElement t) ? t.GetString() : null;
            string? message = root.TryGetProperty("errorMessage", out JsonElement m) ? m.GetString() : null;
            return Output.Formats.Error(new Durably.Protocol.ErrorObject { ErrorType = type, ErrorMessage = message });
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return payload;
        }
    }

    private static void Add(JsonObject document, string name, string? value)
    {
        if (value is not null)
        {
            document[name] = value;
        }
    }
}
