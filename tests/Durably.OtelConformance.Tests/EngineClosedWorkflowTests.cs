using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Durably.Engine;
using Durably.Protocol;
using Durably.Telemetry;
using Durably.TestSupport;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Durably.OtelConformance;

/// <summary>The engine emits the <c>Workflow</c> span of an execution it closes itself: timed out or stopped.</summary>
[Collection(SpanCollection.Name)]
public sealed class EngineClosedWorkflowTests
{
    [Theory]
    [InlineData(ExecutionStatus.TimedOut, "TIMED_OUT")]
    [InlineData(ExecutionStatus.Stopped, "STOPPED")]
    public async Task An_execution_closed_by_the_engine_gets_its_Workflow_span(ExecutionStatus closed, string status)
    {
        using var spans = new SpanCapture();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using TracedServer server = await TracedServer.StartAsync(durably => durably
            .AddFunction<string, string>("sleeper", async (_, context) =>
            {
                await context.WaitAsync(TimeSpan.FromDays(1), "long wait");
                return "woke";
            }, registration =>
            {
                registration.ExecutionTimeout = TimeSpan.FromHours(1);
                registration.Tracing = new DurableTracingOptions { Views = DurableTraceViews.Execution };
            }), time);
        DurableHttpClient client = server.Client;
        DurableEngine engine = server.Engine;

        StartExecutionResult started = await client.StartAsync("sleeper", "in", cancellationToken: timeout.Token);
        string arn = started.DurableExecutionArn;
        await engine.WaitUntilIdleAsync(timeout.Token);
        Assert.DoesNotContain(spans.Stopped, a => a.DisplayName == "Workflow");
        if (closed == ExecutionStatus.Stopped)
        {
            await client.StopExecutionAsync(arn, cancellationToken: timeout.Token);
        }
        else
        {
            time.Advance(TimeSpan.FromHours(1));
            engine.Wake();
        }

        await engine.WaitUntilIdleAsync(timeout.Token);
        DurableExecutionDescription description = await client.GetExecutionAsync(arn, timeout.Token);

        Assert.Equal(closed, description.Status);
        Activity workflow = Assert.Single(spans.Stopped, a => a.DisplayName == "Workflow");
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(arn));
        Assert.Equal(ActivityTraceId.CreateFromBytes(hash.AsSpan(0, 16)), workflow.TraceId);
        Assert.Equal(ActivitySpanId.CreateFromBytes(hash.AsSpan(16, 8)), workflow.SpanId);
        Assert.Equal(default, workflow.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Error, workflow.Status);
        Assert.Equal(status, workflow.GetTagItem("durable.execution.status"));
        Assert.Equal(arn, workflow.GetTagItem("durable.execution.arn"));
        Assert.Equal(description.StartTimestamp.UtcDateTime, workflow.StartTimeUtc);
    }
}
