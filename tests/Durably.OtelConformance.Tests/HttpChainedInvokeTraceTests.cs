using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Durably.Protocol;
using Durably.TestSupport;
using Microsoft.AspNetCore.Builder;
using Xunit;

namespace Durably.OtelConformance;

/// <summary>
/// The whole path of trace context across processes' boundaries, as it runs with remote workers: a parent served by an
/// HTTP worker invokes a child served by an HTTP worker, and the child's spans join the trace of the parent's invoke.
/// </summary>
[Collection(SpanCollection.Name)]
public sealed class HttpChainedInvokeTraceTests
{
    /// <summary>The REST API's field names are PascalCase, as Lambda's.</summary>
    private static readonly JsonSerializerOptions JsonOptions = new();

    [Fact]
    public async Task A_child_run_by_an_HTTP_worker_continues_the_trace_of_the_parents_invoke_operation()
    {
        using var spans = new SpanCapture();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using TracedServer server = await TracedServer.StartAsync(_ => { });
        WebApplicationBuilder builder = LoopbackApp.CreateBuilder();
        await using WebApplication worker = builder.Build();
        worker.MapDurableFunction<string, string>("/parent", (input, context) => context.InvokeAsync<string, string>("child", input, "call child"),
            options => options.ServerUrl = server.Address);
        worker.MapDurableFunction<string, string>("/child", (input, context) => context.StepAsync((_, _) => Task.FromResult(input + "!"), "shout"),
            options => options.ServerUrl = server.Address);
        Uri workerAddress = await LoopbackApp.StartAsync(worker);
        using var http = new HttpClient { BaseAddress = server.Address };
        foreach (string name in new[] { "parent", "child" })
        {
            using HttpResponseMessage registered = await http.PostAsJsonAsync("durably/functions",
                new { FunctionName = name, Url = new Uri(workerAddress, name).AbsoluteUri }, JsonOptions, timeout.Token);
            Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync(timeout.Token));
        }

        StartExecutionResult started = await server.Client.StartAsync("parent", "hi", cancellationToken: timeout.Token);
        DurableExecutionDescription description;
        do
        {
            await server.Engine.WaitUntilIdleAsync(timeout.Token);
            description = await server.Client.GetExecutionAsync(started.DurableExecutionArn, timeout.Token);
        }
        while (description.Status == ExecutionStatus.Running && !timeout.IsCancellationRequested);

        Assert.Equal(ExecutionStatus.Succeeded, description.Status);
        IReadOnlyList<Activity> stopped = spans.Stopped;
        Activity invoke = stopped.First(a => a.DisplayName == "call child" && (string?)a.GetTagItem("durable.execution.arn") == started.DurableExecutionArn);
        Activity childStep = Assert.Single(stopped, a => a.DisplayName == "shout");
        Activity childInvocation = Assert.Single(stopped, a => a.DisplayName == "Invocation"
            && (string?)a.GetTagItem("durable.execution.arn") != started.DurableExecutionArn);
        Assert.Equal(invoke.TraceId, childStep.TraceId);
        // Over HTTP the child's first Invocation span hangs under the engine's Invoke client span, which hangs under the
        // parent's invoke operation: walk up the captured spans to it.
        Assert.Contains(invoke.SpanId, AncestorsOf(childInvocation, stopped));
    }

    private static List<ActivitySpanId> AncestorsOf(Activity span, IReadOnlyList<Activity> spans)
    {
        var ancestors = new List<ActivitySpanId>();
        ActivitySpanId parent = span.ParentSpanId;
        while (parent != default && ancestors.Count < 10)
        {
            ancestors.Add(parent);
            parent = spans.FirstOrDefault(a => a.SpanId == parent)?.ParentSpanId ?? default;
        }

        return ancestors;
    }
}
