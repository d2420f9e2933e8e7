using System.Net;
using System.Text.Json;
using Durably.Protocol;
using Durably.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Server.Tests;

/// <summary>
/// Run-time HTTP function registrations (POST/DELETE /durably/functions) on a server on a SQLite file survive a
/// restart on that file: a new server lists and runs them, and executions pinned to them go on.
/// </summary>
public sealed class HttpFunctionPersistenceTests : IDisposable
{
    // A synchronous invoke of a function that cannot run waits for the client's timeout: fail in seconds, not 100.
    private static readonly TimeSpan InvokeTimeout = TimeSpan.FromSeconds(10);

    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Registration_SurvivesARestart_IsListedWithItsConfiguration_AndRunsAtItsLatestVersion()
    {
        await using HttpFunctionWorker worker = await HttpFunctionWorker.StartAsync(
            ("greet-v1", (name, context) => context.StepAsync((_, _) => Task.FromResult($"v1 hello {name}"), "greet")),
            ("greet-v2", (name, context) => context.StepAsync((_, _) => Task.FromResult($"v2 hello {name}"), "greet")));
        await using (DurablyTestServer before = await _database.StartServerAsync())
        {
            await RegisterAsync(before, $$"""{"FunctionName":"greeter","Url":"{{worker.Url("greet-v1")}}","Version":"1"}""");
            await RegisterAsync(before, $$"""{"FunctionName":"greeter","Url":"{{worker.Url("greet-v2")}}","Version":"2","ExecutionTimeout":3600,"RetentionPeriodInDays":5,"InvocationTimeout":30}""");
        }

        await using DurablyTestServer after = await _database.StartServerAsync();
        worker.ServerStarted(after.Address);
        after.Client.Timeout = InvokeTimeout;

        JsonElement listed = Assert.Single((await ApiAssert.JsonAsync(await after.Client.GetAsync("2015-03-31/functions/"))).GetProperty("Functions").EnumerateArray());
        Assert.Equal(("greeter", "2"), (listed.GetProperty("FunctionName").GetString(), listed.GetProperty("Version").GetString()));
        Assert.Equal(3600, listed.GetProperty("DurableConfig").GetProperty("ExecutionTimeout").GetInt32());
        Assert.Equal(5, listed.GetProperty("DurableConfig").GetProperty("RetentionPeriodInDays").GetInt32());
        Assert.Equal(TimeSpan.FromSeconds(30), after.Engine.Functions.Find("greeter", "2")!.InvocationTimeout);
        using HttpResponseMessage latest = await after.Client.InvokeAsync("greeter", "\"ann\"");
        using HttpResponseMessage first = await after.Client.InvokeAsync("greeter", "\"bob\"", query: "?Qualifier=1");
        Assert.Equal(HttpStatusCode.OK, latest.StatusCode);
        Assert.Equal("\"v2 hello ann\"", await latest.Content.ReadAsStringAsync());
        Assert.Equal("\"v1 hello bob\"", await first.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Removal_SurvivesARestart()
    {
        await using (DurablyTestServer before = await _database.StartServerAsync())
        {
            foreach (string body in (string[])[
                """{"FunctionName":"remote","Url":"http://127.0.0.1:1/a","Version":"1"}""",
                """{"FunctionName":"remote","Url":"http://127.0.0.1:1/b","Version":"2"}""",
                """{"FunctionName":"gone","Url":"http://127.0.0.1:1/c"}"""])
            {
                await RegisterAsync(before, body);
            }

            using HttpResponseMessage removeVersion = await before.Client.DeleteAsync("durably/functions/remote?Version=2");
            using HttpResponseMessage removeAll = await before.Client.DeleteAsync("durably/functions/gone");
            Assert.Equal(HttpStatusCode.NoContent, removeVersion.StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, removeAll.StatusCode);
        }

        await using DurablyTestServer after = await _database.StartServerAsync();

        JsonElement page = await ApiAssert.JsonAsync(await after.Client.GetAsync("2015-03-31/functions?FunctionVersion=ALL"));
        Assert.Equal(["remote:1"], page.GetProperty("Functions").EnumerateArray()
            .Select(f => $"{f.GetProperty("FunctionName").GetString()}:{f.GetProperty("Version").GetString()}"));
        using HttpResponseMessage removeAgain = await after.Client.DeleteAsync("durably/functions/gone");
        await ApiAssert.ErrorAsync(removeAgain, HttpStatusCode.NotFound, "ResourceNotFoundException", "Message");
    }

    [Fact]
    public async Task ExecutionSuspendedInAWait_ResumesAfterARestart_AsItsWaitIsDueAtStart()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using HttpFunctionWorker worker = await HttpFunctionWorker.StartAsync(("nap", async (name, context) =>
        {
            await context.WaitAsync(TimeSpan.FromMinutes(5), "nap");
            return $"{name} rested";
        }));
        string arn;
        await using (DurablyTestServer before = await _database.StartServerAsync(time: time))
        {
            worker.ServerStarted(before.Address);
            await RegisterAsync(before, $$"""{"FunctionName":"napper","Url":"{{worker.Url("nap")}}"}""");
            arn = await before.Client.StartAsync("napper", "\"ann\"");
            await before.IdleAsync();
            Operation wait = Assert.Single(await before.Engine.GetOperationsAsync(arn), operation => operation.Type == OperationType.Wait);
            Assert.Equal(OperationStatus.Started, wait.Status);
        }

        worker.ServerStopped();
        time.Advance(TimeSpan.FromMinutes(5));
        // The engine fires the due wait as it starts: the function must be registered again before that, or the
        // execution would wait a minute (of a clock that no longer moves) for its function to come back.
        await using DurablyTestServer after = await _database.StartServerAsync(time: time);
        worker.ServerStarted(after.Address);

        DurableExecutionDescription done = await after.Engine.WaitForCompletionAsync(arn).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal("\"ann rested\"", done.Result);
        Assert.DoesNotContain((await after.Engine.GetHistoryAsync(arn)).Events, e => e.Details.Error?.Payload is not null);
    }

    [Fact]
    public async Task SavedRegistrations_OfANameNowRegisteredInCode_AreNotRegistered_AreLogged_AndKept()
    {
        await using (DurablyTestServer before = await _database.StartServerAsync())
        {
            await RegisterAsync(before, """{"FunctionName":"remote","Url":"http://127.0.0.1:1/a","Version":"1"}""");
            await RegisterAsync(before, """{"FunctionName":"remote","Url":"http://127.0.0.1:1/b","Version":"2"}""");
        }

        var logs = new CapturingLoggerProvider();
        await using (DurablyTestServer withCode = await _database.StartServerAsync(
            durably => durably.AddFunction<string, string>("remote", (name, _) => Task.FromResult($"code greets {name}")),
            host: builder => builder.Logging.AddProvider(logs)))
        {
            withCode.Client.Timeout = InvokeTimeout;

            // Version 2 would otherwise be $LATEST of a code function: its inputs and checkpoint tokens would go to the saved URL.
            using HttpResponseMessage invoked = await withCode.Client.InvokeAsync("remote", "\"ann\"");
            Assert.Equal("\"code greets ann\"", await invoked.Content.ReadAsStringAsync());
            Assert.Equal(["1"], withCode.Engine.Functions.GetAll().Select(function => function.Version));
            Assert.Collection(logs.Entries.Where(entry => entry.EventId.Id == 1007),
                first => Assert.Contains("function remote version 1 is not registered", first.Message, StringComparison.Ordinal),
                second => Assert.Contains("function remote version 2 is not registered", second.Message, StringComparison.Ordinal));
            using HttpResponseMessage remove = await withCode.Client.DeleteAsync("durably/functions/remote?Version=1");
            await ApiAssert.ErrorAsync(remove, HttpStatusCode.Conflict, "ResourceConflictException");
        }

        await using DurablyTestServer withoutCode = await _database.StartServerAsync();
        Assert.Equal(["1", "2"], withoutCode.Engine.Functions.GetAll().Select(function => function.Version));
    }

    private static async Task RegisterAsync(DurablyTestServer server, string body)
    {
        using HttpResponseMessage response = await server.Client.PostRawAsync("durably/functions", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
