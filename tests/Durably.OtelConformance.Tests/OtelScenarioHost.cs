using System.Diagnostics;
using Durably.Engine;
using Durably.Protocol;
using Durably.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Durably.OtelConformance;

/// <summary>
/// Runs one scenario on a real Durably server (Kestrel on 127.0.0.1, the engine on a temporary SQLite file,
/// fake time), started and observed through the REST API, while an OpenTelemetry tracer provider with the
/// in-memory exporter captures the <c>Durably</c> source.
/// </summary>
public static class OtelScenarioHost
{
    public const string ServiceName = "durably-otel-conformance";

    public const string FunctionName = "otel";

    /// <summary>A requirement's <c>CallbackActions</c> entry: once a callback whose name matches is pending, answer it after <paramref name="Delay"/>.</summary>
    public sealed record CallbackAction(string CallbackName, string Operation, string Payload, TimeSpan Delay);

    public sealed record Run(string ExecutionArn, ExecutionStatus Status, IReadOnlyList<HistoryEvent> History, IReadOnlyList<SpanRecord> Spans);

    /// <summary>Runs the scenario of <paramref name="input"/> with the function traced in <paramref name="views"/>.</summary>
    public static async Task<Run> RunAsync(Dictionary<string, string> input, CancellationToken cancellationToken,
        Telemetry.DurableTraceViews views = Telemetry.DurableTraceViews.Invocation, IReadOnlyList<CallbackAction>? callbackActions = null)
    {
        List<CallbackAction> unanswered = [.. callbackActions ?? []];
        var exported = new List<Activity>();
        using TracerProvider provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(ServiceName))
            .AddSource(Telemetry.DurablyTelemetry.SourceName)
            .AddInMemoryExporter(exported)
            .Build();

        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var database = new TempSqliteFile();
        WebApplicationBuilder builder = LoopbackApp.CreateBuilder();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddDurably().UseSqlite(database.ConnectionString)
            .AddFunction<Dictionary<string, string>, string>(FunctionName, OtelHandlers.RunAsync, registration =>
            {
                registration.ExecutionTimeout = OtelHandlers.ExecutionTimeout(input["scenario"]);
                registration.Tracing = new Telemetry.DurableTracingOptions { Views = views };
            });
        await using WebApplication app = builder.Build();
        app.MapDurably();
        using var http = new HttpClient { BaseAddress = await LoopbackApp.StartAsync(app), Timeout = TimeSpan.FromSeconds(30) };
        var client = new DurableHttpClient(http);
        var engine = app.Services.GetRequiredService<DurableEngine>();

        StartExecutionResult started = await client.StartAsync(FunctionName, input, cancellationToken: cancellationToken);
        string arn = started.DurableExecutionArn;
        DurableExecutionDescription description;
        for (int round = 0; ; round++)
        {
            await engine.WaitUntilIdleAsync(cancellationToken);
            description = await client.GetExecutionAsync(arn, cancellationToken);
            if (description.Status != ExecutionStatus.Running)
            {
                break;
            }

            if (await AnswerPendingCallbackAsync(client, arn, unanswered, time, cancellationToken))
            {
                continue;
            }

            // Compressed time: jump straight to the next timer (a wait's end, a retry's back-off).
            DateTimeOffset? next = await engine.GetNextDueTimeAsync(cancellationToken);
            if (next is null || round == 50)
            {
                throw new TimeoutException($"Execution {arn} is still RUNNING after {round} timer jumps with no timer left ({next}).");
            }

            time.SetUtcNow(next.Value > time.GetUtcNow() ? next.Value : time.GetUtcNow());
            engine.Wake();
        }

        IReadOnlyList<HistoryEvent> history = await client.GetHistoryAsync(arn, cancellationToken);
        await app.StopAsync(cancellationToken);
        provider.ForceFlush();
        database.Delete();
        return new Run(arn, description.Status, history, [.. exported.Select(a => SpanRecord.From(a, ServiceName))]);
    }

    /// <summary>Answers the first action whose callback is started in the history, after its delay in fake time; false when none is.</summary>
    private static async Task<bool> AnswerPendingCallbackAsync(
        DurableHttpClient client, string arn, List<CallbackAction> unanswered, FakeTimeProvider time, CancellationToken cancellationToken)
    {
        if (unanswered.Count == 0)
        {
            return false;
        }

        IReadOnlyList<HistoryEvent> history = await client.GetHistoryAsync(arn, cancellationToken);
        foreach (CallbackAction action in unanswered)
        {
            if (history.FirstOrDefault(e => e.EventType == HistoryEventTypes.CallbackStarted && TelemetryValidator.TextMatches(e.Name, action.CallbackName)) is not { } started)
            {
                continue;
            }

            unanswered.Remove(action);
            time.Advance(action.Delay);
            string callbackId = started.Details.CallbackId ?? throw new InvalidOperationException($"CallbackStarted {started.Id} has no callback id.");
            Task answer = action.Operation switch
            {
                "success" => client.SendCallbackSuccessAsync(callbackId, action.Payload, cancellationToken),
                "failure" => client.SendCallbackFailureAsync(callbackId, new ErrorObject { ErrorMessage = action.Payload }, cancellationToken),
                _ => throw new NotSupportedException($"Callback action '{action.Operation}' is not supported."),
            };
            await answer;
            return true;
        }

        return false;
    }
}
