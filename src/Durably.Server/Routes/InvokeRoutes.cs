using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Durably.Engine;
using Durably.Protocol;
using Durably.Server.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Durably.Server.Routes;

/// <summary>
/// Invoke of a durable function (PROTOCOL.md §2.1, WIRE-DETAILS.md §D.8): starts an execution, or re-attaches
/// to the one of the same name and byte-identical payload. <c>Event</c> answers 202 at once;
/// <c>RequestResponse</c> waits for the result up to <see cref="DurablyServerOptions.SyncInvokeTimeout"/>.
/// </summary>
internal sealed partial class InvokeRoutes(DurableEngine engine, DurablyServerOptions options)
{
    /// <summary>Asynchronous invoke payload limit.</summary>
    public const int MaxAsyncPayloadBytes = 262_144;

    /// <summary>Synchronous invoke payload limit (Lambda's 6 MB).</summary>
    public const int MaxSyncPayloadBytes = 6_291_456;

    /// <summary>
    /// Durably's answer to "did this invoke start the execution?": <c>true</c> when an execution of that
    /// name and payload already existed (PROTOCOL.md §2.1 rows 3 and 5). Lambda has no such header.
    /// </summary>
    public const string AlreadyExistedHeader = "X-Durably-Already-Existed";

    public const string ExecutionArnHeader = "X-Amz-Durable-Execution-Arn";
    public const string ExecutionNameHeader = "X-Amz-Durable-Execution-Name";
    public const string ExecutedVersionHeader = "X-Amz-Executed-Version";
    public const string FunctionErrorHeader = "X-Amz-Function-Error";
    public const string InvocationTypeHeader = "X-Amz-Invocation-Type";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private enum InvocationType { RequestResponse, Event, DryRun }

    public async Task InvokeAsync(HttpContext context, string functionName)
    {
        var query = new QueryParameters(context.Request.Query);
        InvocationType invocationType = ReadInvocationType(context.Request.Headers[InvocationTypeHeader]);
        var function = FunctionReference.Parse(functionName, query.GetString("Qualifier"));
        string? executionName = ReadExecutionName(context.Request.Headers[ExecutionNameHeader]);
        byte[] body = await RequestBody.ReadBytesAsync(
            context, invocationType == InvocationType.Event ? MaxAsyncPayloadBytes : MaxSyncPayloadBytes, "The invoke payload").ConfigureAwait(false);
        string? payload = ReadPayload(body);
        HttpResponse response = context.Response;
        if (invocationType == InvocationType.DryRun)
        {
            response.Headers[ExecutedVersionHeader] = engine.Functions.Resolve(function.Name, function.Qualifier).Version;
            response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        StartExecutionResult started = await engine.StartExecutionAsync(
            function.Name, payload, executionName, function.Qualifier, context.RequestAborted).ConfigureAwait(false);
        response.Headers[ExecutionArnHeader] = started.DurableExecutionArn;
        response.Headers[ExecutedVersionHeader] = VersionOf(started.DurableExecutionArn);
        if (started.AlreadyExisted)
        {
            response.Headers[AlreadyExistedHeader] = "true";
        }

        if (invocationType == InvocationType.Event)
        {
            response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        DurableExecutionDescription? execution = await WaitForResultAsync(context, started.DurableExecutionArn).ConfigureAwait(false);
        if (execution is null)
        {
            // Past the synchronous limit the caller gets the ARN; the execution goes on (PROTOCOL.md §0).
            response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        if (execution.Status == ExecutionStatus.Succeeded)
        {
            await ApiResponses.WriteBytesAsync(context, Encoding.UTF8.GetBytes(execution.Result ?? "null"), StatusCodes.Status200OK).ConfigureAwait(false);
            return;
        }

        // WARNING: wire compatibility. A failed synchronous invoke is Lambda's "Unhandled" function error with its error shape.
        response.Headers[FunctionErrorHeader] = "Unhandled";
        await ApiResponses.WriteBytesAsync(context, FunctionError(execution), StatusCodes.Status200OK).ConfigureAwait(false);
    }

    private async Task<DurableExecutionDescription?> WaitForResultAsync(HttpContext context, string durableExecutionArn)
    {
        using var timeout = new CancellationTokenSource(options.SyncInvokeTimeout, engine.TimeProvider);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, context.RequestAborted);
        try
        {
            return await engine.WaitForCompletionAsync(durableExecutionArn, waiting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            return null;
        }
    }

    private static InvocationType ReadInvocationType(StringValues header) => header.Count == 0
        ? InvocationType.RequestResponse
        : header.ToString() switch
        {
            "RequestResponse" => InvocationType.RequestResponse,
            "Event" => InvocationType.Event,
            "DryRun" => InvocationType.DryRun,
            string other => throw ApiErrors.InvalidParameter(
                $"{InvocationTypeHeader} must be RequestResponse, Event or DryRun; got '{QueryParameters.Shorten(other)}'."),
        };

    private static string? ReadExecutionName(StringValues header)
    {
        if (header.Count == 0)
        {
            return null;
        }

        string value = header.ToString();
        return header.Count == 1 && ApiNames.IsValid(value)
            ? value
            : throw ApiErrors.InvalidParameter(
                $"{ExecutionNameHeader} '{QueryParameters.Shorten(value)}' is invalid: it must be {ApiNames.Rule}.");
    }

    /// <summary>The payload must be JSON, as Lambda requires; an empty body is no input.</summary>
    private static string? ReadPayload(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            string payload = StrictUtf8.GetString(body);
            using (JsonDocument.Parse(body))
            {
                return payload;
            }
        }
        catch (Exception exception) when (exception is JsonException or DecoderFallbackException)
        {
            throw ApiErrors.InvalidContent($"Could not parse request body into json: {exception.Message.Split(" Path:", 2)[0]}");
        }
    }

    private static byte[] FunctionError(DurableExecutionDescription execution)
    {
        string status = execution.Status switch
        {
            ExecutionStatus.TimedOut => "TIMED_OUT",
            ExecutionStatus.Stopped => "STOPPED",
            _ => "FAILED",
        };
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("errorType", execution.Error?.ErrorType ?? $"Execution{execution.Status}");
            writer.WriteString("errorMessage", execution.Error?.ErrorMessage ?? $"The durable execution ended {status}.");
            if (execution.Error?.ErrorData is { } data)
            {
                writer.WriteString("errorData", data);
            }

            if (execution.Error?.StackTrace is { } stackTrace)
            {
                writer.WriteStartArray("stackTrace");
                foreach (string line in stackTrace)
                {
                    writer.WriteStringValue(line);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The version segment of <c>…:function:{name}:{version}/durable-execution/…</c>.</summary>
    private static string VersionOf(string durableExecutionArn)
    {
        string functionArn = durableExecutionArn[..durableExecutionArn.IndexOf("/durable-execution/", StringComparison.Ordinal)];
        return functionArn[(functionArn.LastIndexOf(':') + 1)..];
    }
}
