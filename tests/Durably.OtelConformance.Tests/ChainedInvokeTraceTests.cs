using System.Diagnostics;
using Durably.Engine;
using Durably.Protocol;
using Durably.Telemetry;
using Durably.TestSupport;
using Xunit;

namespace Durably.OtelConformance;

/// <summary>An execution started by a chained invoke continues the trace of the operation that invoked it.</summary>
[Collection(SpanCollection.Name)]
public sealed class ChainedInvokeTraceTests
{
    [Theory]
    [InlineData(DurableTraceViews.Invocation)]
    [InlineData(DurableTraceViews.Execution)]
    public async Task The_invoked_executions_first_Invocation_span_is_a_child_of_the_ChainedInvoke_span(DurableTraceViews views)
    {
        using var spans = new SpanCapture();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using TracedServer server = await TracedServer.StartAsync(durably => durably
            .AddFunction<string, string>("parent", (input, context) => context.InvokeAsync<string, string>("child", input, "call child"),
                registration => registration.Tracing = new DurableTracingOptions { Views = views })
            .AddFunction<string, string>("child", (input, _) => Task.FromResult(input + "!"),
                registration => registration.Tracing = new DurableTracingOptions { Views = views }));
        DurableHttpClient client = server.Client;
        DurableEngine engine = server.Engine;

        StartExecutionResult started = await client.StartAsync("parent", "hi", cancellationToken: timeout.Token);
        DurableExecutionDescription description;
        do
        {
            // The parent suspends on the invoke, the child runs, its end re-invokes the parent: a few idle rounds.
            await engine.WaitUntilIdleAsync(timeout.Token);
            description = await client.GetExecutionAsync(started.DurableExecutionArn, timeout.Token);
        }
        while (description.Status == ExecutionStatus.Running && !timeout.IsCancellationRequested);

        Assert.Equal(ExecutionStatus.Succeeded, description.Status);
        Activity[] invokeSpans = [.. spans.Stopped.Where(a => a.DisplayName == "call child"
            && (string?)a.GetTagItem("durable.execution.arn") == started.DurableExecutionArn)];
        Assert.NotEmpty(invokeSpans);
        Activity childInvocation = Assert.Single(spans.Stopped, a => a.DisplayName == "Invocation"
            && (string?)a.GetTagItem("durable.execution.arn") != started.DurableExecutionArn);
        Assert.Equal(true, childInvocation.GetTagItem("durable.invocation.first"));
        // The invocation view's first span of the operation (ended STARTED when the parent suspended), or the
        // execution view's one span with its derived id.
        Activity invokeSpan = invokeSpans[0];
        Assert.Equal(invokeSpan.TraceId, childInvocation.TraceId);
        Assert.Equal(invokeSpan.SpanId, childInvocation.ParentSpanId);
    }
}
