using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Durably.Engine;
using Durably.Protocol;
using Durably.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Durably.JsSdk.Tests;

/// <summary>One request the server answered with a non-2xx status.</summary>
public sealed record RejectedRequest(string Method, string Path, int Status, string RequestBody, string UserAgent)
{
    public override string ToString() => $"{Method} {Path} -> {Status} (user agent: {UserAgent})\n      body: {RequestBody}";
}

/// <summary>One CheckpointDurableExecution request: for which execution, how many updates, and the answer's status.</summary>
public sealed record CheckpointCall(string DurableExecutionArn, int Updates, int Status, string UserAgent);

/// <summary>
/// A real Durably server in the test process (Kestrel on 127.0.0.1, port 0, <c>MapDurably()</c>, SQLite in a temp
/// file) with a fake clock, plus the Node harness whose AWS-SDK handlers are registered as functions
/// <c>js-&lt;name&gt;</c> next to their C# twins <c>cs-&lt;name&gt;</c>. Executions are started, observed and answered
/// through the REST API only; the fixture reaches into the process only to move the clock and to know when the
/// engine is idle (as tests/Durably.Conformance.Tests does).
/// </summary>
public sealed class DurablyServer : IAsyncLifetime
{
    private const int MaxRounds = 200;

    private readonly TempSqliteFile _database = new();
    private readonly List<RejectedRequest> _rejected = [];
    private readonly List<CheckpointCall> _checkpoints = [];
    private WebApplication? _app;
    private FakeTimeProvider? _time;
    private DurableEngine? _engine;
    private HttpClient? _api;

    public NodeHarness Harness { get; private set; } = null!;

    public IDurableClient Client { get; private set; } = null!;

    /// <summary>Non-2xx answers of the server so far (the JS SDK's checkpoints included).</summary>
    public IReadOnlyList<RejectedRequest> RejectedRequests
    {
        get
        {
            lock (_rejected)
            {
                return [.. _rejected];
            }
        }
    }

    /// <summary>The checkpoint requests of one execution, in arrival order.</summary>
    public IReadOnlyList<CheckpointCall> CheckpointsOf(string durableExecutionArn)
    {
        lock (_checkpoints)
        {
            return [.. _checkpoints.Where(c => c.DurableExecutionArn == durableExecutionArn)];
        }
    }

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        Harness = await NodeHarness.StartAsync(timeout.Token);

        // Fake time starts a day ahead of the wall clock: the JS SDK compares server timestamps (wait ends, retry
        // times) with Date.now() to arm its poll timers, so they must never lie in its past (it would poll at
        // once); a day ahead, its timers never fire before it suspends, as on Lambda for long waits.
        _time = new FakeTimeProvider(TimeProvider.System.GetUtcNow().AddDays(1));
        WebApplicationBuilder builder = LoopbackApp.CreateBuilder();
        builder.Services.AddSingleton<TimeProvider>(_time);
        IDurablyBuilder durably = builder.Services.AddDurably().UseSqlite(_database.ConnectionString);
        foreach (Scenario scenario in Scenarios.All)
        {
            durably.AddHttpFunction(Scenarios.JsFunction(scenario), new Uri(Harness.BaseUrl, scenario.Path));
            scenario.RegisterTwin(durably, Scenarios.CSharpFunction(scenario));
        }

        durably.AddHttpFunction(Scenarios.InvokeTarget, new Uri(Harness.BaseUrl, "greeter"));

        _app = builder.Build();
        _app.Use(RecordRequestsAsync);
        _app.MapDurably();
        Uri address = await LoopbackApp.StartAsync(_app);
        _engine = _app.Services.GetRequiredService<DurableEngine>();
        _api = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Client = new DurableHttpClient(_api);
        await Harness.ConfigureAsync(new Uri(address.ToString().TrimEnd('/')), timeout.Token);
    }

    /// <summary>
    /// Runs one execution to its end: waits until the engine is idle, answers each new callback (in the order the
    /// CallbackStarted events appear) with the scenario's next answer, otherwise moves the fake clock to the next
    /// timer. Returns the final description and history, as read through the REST API.
    /// </summary>
    /// <remarks>With <c>answerWhileRunning</c>, the first callback is answered as soon as its CallbackStarted is
    /// committed, without waiting for the invocation to end.</remarks>
    public async Task<ExecutionRun> RunAsync(string functionName, string inputJson, IReadOnlyList<CallbackAnswer> answers,
        CancellationToken cancellationToken, bool answerWhileRunning = false)
    {
        // Subscribed before the start, so no commit of the execution can be missed.
        using ExecutionChangeSubscription changes = _engine!.Changes.Subscribe(new ExecutionChangeFilter(FunctionName: functionName));
        StartExecutionResult started = await Client.StartAsync(functionName, JsonNode.Parse(inputJson), cancellationToken: cancellationToken);
        string arn = started.DurableExecutionArn;
        int answered = 0;
        if (answerWhileRunning)
        {
            await AnswerFirstCallbackWhileRunningAsync(functionName, arn, changes, answers[0], cancellationToken);
            answered = 1;
        }

        for (int round = 0; round < MaxRounds; round++)
        {
            await WaitForIdleAsync(cancellationToken);
            DurableExecutionDescription description = await Client.GetExecutionAsync(arn, cancellationToken);
            IReadOnlyList<HistoryEvent> history = await Client.GetHistoryAsync(arn, cancellationToken);
            if (description.Status != ExecutionStatus.Running)
            {
                return new ExecutionRun(functionName, description, history);
            }

            HistoryEvent[] callbacks = history.Where(e => e.EventType == HistoryEventTypes.CallbackStarted).ToArray();
            if (answered < callbacks.Length)
            {
                if (answered >= answers.Count)
                {
                    throw new InvalidOperationException($"{functionName}: callback #{answered} ({callbacks[answered].Name}) has no answer in the scenario.");
                }

                await AnswerAsync(callbacks[answered].Details.CallbackId!, answers[answered], cancellationToken);
                answered++;
                continue;
            }

            if (!await AdvanceToNextTimerAsync(cancellationToken))
            {
                throw new InvalidOperationException($"{functionName}: the execution is RUNNING with no timer and no callback to answer.\n" +
                    string.Join("\n", history.Select(e => $"  {e.EventId} {e.EventType} {e.Name}")) + $"\nHarness log:\n{Harness.Log}");
            }
        }

        throw new InvalidOperationException($"{functionName}: still running after {MaxRounds} rounds.");
    }

    public async Task DisposeAsync()
    {
        _api?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (Harness is not null)
        {
            await Harness.DisposeAsync();
        }

        _database.Delete();
    }

    /// <summary>Records every non-2xx answer, and every checkpoint request with its number of updates.</summary>
    private async Task RecordRequestsAsync(HttpContext context, RequestDelegate next)
    {
        context.Request.EnableBuffering();
        await next(context);
        string rawTarget = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? "";
        string[] segments = rawTarget.Split('?')[0].Split('/');
        bool checkpoint = HttpMethods.IsPost(context.Request.Method) && segments is [_, _, "durable-executions", _, "checkpoint"];
        if (context.Response.StatusCode < 300 && !checkpoint)
        {
            return;
        }

        context.Request.Body.Position = 0;
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true);
        string body = await reader.ReadToEndAsync();
        if (checkpoint)
        {
            int updates = JsonNode.Parse(body)?["Updates"]?.AsArray().Count ?? 0;
            lock (_checkpoints)
            {
                _checkpoints.Add(new CheckpointCall(Uri.UnescapeDataString(segments[3]), updates, context.Response.StatusCode, context.Request.Headers.UserAgent.ToString()));
            }
        }

        if (context.Response.StatusCode >= 300)
        {
            lock (_rejected)
            {
                _rejected.Add(new RejectedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString,
                    context.Response.StatusCode, body, context.Request.Headers.UserAgent.ToString()));
            }
        }
    }

    private async Task AnswerAsync(string callbackId, CallbackAnswer answer, CancellationToken cancellationToken)
    {
        if (answer == CallbackAnswer.None)
        {
            return; // left to time out
        }

        if (answer.SuccessBody is { } body)
        {
            // The raw body, byte for byte (Durably's client would serialize a value itself).
            using var content = new StringContent(body, Encoding.UTF8, "application/octet-stream");
            using HttpResponseMessage response = await _api!.PostAsync(
                $"2025-12-01/durable-execution-callbacks/{Uri.EscapeDataString(callbackId)}/succeed", content, cancellationToken);
            response.EnsureSuccessStatusCode();
        }
        else
        {
            await Client.SendCallbackFailureAsync(callbackId, answer.Failure, cancellationToken);
        }
    }

    /// <summary>
    /// Answers the execution's first callback once a commit shows its CallbackStarted. The engine's change feed wakes
    /// this on every commit: the scenario's busy branch runs in real time on both sides (the JS twin sleeps with
    /// setTimeout), so no fake-time step would reach that moment.
    /// </summary>
    private async Task AnswerFirstCallbackWhileRunningAsync(string functionName, string arn, ExecutionChangeSubscription changes,
        CallbackAnswer answer, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            IReadOnlyList<HistoryEvent> history = await Client.GetHistoryAsync(arn, cancellationToken);
            if (history.FirstOrDefault(e => e.EventType == HistoryEventTypes.CallbackStarted) is { } callback)
            {
                await AnswerAsync(callback.Details.CallbackId!, answer, cancellationToken);
                return;
            }

            try
            {
                // The engine's clock is fake and stands still meanwhile: the real-time bound is the deadline.
                await changes.ReadAsync(TimeSpan.FromDays(1), deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{functionName}: no CallbackStarted was committed within 30 s.");
            }
        }
    }

    private Task WaitForIdleAsync(CancellationToken cancellationToken) => _engine!.WaitUntilIdleAsync(cancellationToken);

    private async Task<bool> AdvanceToNextTimerAsync(CancellationToken cancellationToken)
    {
        if (await _engine!.GetNextDueTimeAsync(cancellationToken) is not { } dueAt)
        {
            return false;
        }

        if (dueAt > _time!.GetUtcNow())
        {
            _time.SetUtcNow(dueAt);
        }

        _engine.Wake();
        await WaitForIdleAsync(cancellationToken);
        return true;
    }
}

/// <summary>How the test answers a callback: a raw success body, or a failure.</summary>
public sealed record CallbackAnswer(string? SuccessBody, ErrorObject? Failure)
{
    /// <summary>No answer: the callback is left to time out.</summary>
    public static readonly CallbackAnswer None = new(null, null);

    public static CallbackAnswer Success(string rawBody) => new(rawBody, null);

    public static CallbackAnswer Fail(string errorType, string errorMessage) => new(null, new ErrorObject { ErrorType = errorType, ErrorMessage = errorMessage });
}

/// <summary>One execution run to its end.</summary>
public sealed record ExecutionRun(string FunctionName, DurableExecutionDescription Description, IReadOnlyList<HistoryEvent> History);
