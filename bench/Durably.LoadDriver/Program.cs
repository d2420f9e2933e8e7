using System.Diagnostics;
using System.Text;
using Durably;
using Durably.LoadDriver;
using Durably.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Usage: dotnet run -c Release --project bench/Durably.LoadDriver -- [--store sqlite|memory|postgres] [--synchronous full|normal]
//        [--connection-string <Npgsql connection string>] [--nodes 1]
//        [--transport inprocess|rest] [--only a,b,c,d] [--seconds 15] [--clients 32] [--warmup 3] [--step-ms 0]
// --transport rest serves the REST API on 127.0.0.1 in this process and drives it over HTTP: (a) and (b) with a
// synchronous Invoke, (c) and (d) with DurableHttpClient; the functions run in the server, as in production.
// --store postgres runs on a fresh schema (dropped at the end) of the database --connection-string (or DURABLY_POSTGRES)
// names; --nodes N (postgres only, in process) builds N engines on that schema, each with its own store and pool, and
// spreads the workflows over them round-robin (each workflow is started and awaited on one node).
// --step-ms N makes each step body of (a) and (b) run N ms (the cost of sending a long step's START on its own).
// --tracing invocation|execution|both records every span of the Durably source in that view (a listener that keeps
// nothing, so the cost measured is making the spans, not exporting them); off (the default) has no listener.
string store = Option("--store", "sqlite");
string synchronous = Option("--synchronous", "full");
string only = Option("--only", "a,b,c,d");
int seconds = int.Parse(Option("--seconds", "15"), System.Globalization.CultureInfo.InvariantCulture);
int clients = int.Parse(Option("--clients", "32"), System.Globalization.CultureInfo.InvariantCulture);
int warmup = int.Parse(Option("--warmup", "3"), System.Globalization.CultureInfo.InvariantCulture);
int nodeCount = int.Parse(Option("--nodes", "1"), System.Globalization.CultureInfo.InvariantCulture);
bool rest = Option("--transport", "inprocess") == "rest";
Workflows.StepBody = TimeSpan.FromMilliseconds(int.Parse(Option("--step-ms", "0"), System.Globalization.CultureInfo.InvariantCulture));
string tracing = Option("--tracing", "off");
using ActivityListener? listener = tracing == "off" ? null : Tracing.Listen(tracing);
if (nodeCount < 1 || (nodeCount > 1 && (store != "postgres" || rest)))
{
    throw new ArgumentException("--nodes above 1 needs --store postgres and --transport inprocess.");
}

string databasePath = Path.Combine(Path.GetTempPath(), $"durably-load-{Environment.ProcessId}.db");
await using LoadSchema? schema = store == "postgres" ? await LoadSchema.CreateAsync(Option("--connection-string", Environment.GetEnvironmentVariable("DURABLY_POSTGRES") ?? "")) : null;
var hosts = new List<WebApplication>();
for (int node = 0; node < nodeCount; node++)
{
    hosts.Add(await StartHostAsync());
}

WebApplication host = hosts[0];
string url = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(url + "/") };
Scenarios scenarios = rest
    ? new Scenarios(new DurableHttpClient(http), Console.Out, input => InvokeSynchronouslyAsync(http, input))
    : new Scenarios(nodeCount == 1 ? host.Services.GetRequiredService<IDurableClient>() : new RoundRobinClient([.. hosts.Select(node => node.Services.GetRequiredService<IDurableClient>())]), Console.Out);
string storeShown = store switch
{
    "sqlite" => $" (synchronous={synchronous}, {databasePath})",
    "postgres" => $" (schema {schema!.Name}, {nodeCount} node{(nodeCount == 1 ? "" : "s")})",
    _ => "",
};
Console.WriteLine($"Durably load driver: {(rest ? $"REST API at {url}" : "in process")}, tracing {tracing}, store {store}{storeShown}, {Environment.ProcessorCount} cores");
if (only.Contains('a', StringComparison.Ordinal)) await scenarios.SequentialAsync();
if (only.Contains('b', StringComparison.Ordinal)) await scenarios.ThroughputAsync(clients, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(warmup));
if (only.Contains('c', StringComparison.Ordinal)) await scenarios.WaitLatenessAsync();
if (only.Contains('d', StringComparison.Ordinal)) await scenarios.CallbackResumeAsync();
foreach (WebApplication node in hosts)
{
    await node.StopAsync();
    await node.DisposeAsync();
}

foreach (string file in new[] { databasePath, databasePath + "-wal", databasePath + "-shm" })
{
    File.Delete(file);
}

return 0;

// Invoke with X-Amz-Invocation-Type RequestResponse: the answer is the execution's result.
static async Task InvokeSynchronouslyAsync(HttpClient http, int input)
{
    using var content = new StringContent(input.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.UTF8, "application/json");
    using HttpResponseMessage response = await http.PostAsync($"2015-03-31/functions/{Workflows.TenSteps}/invocations", content);
    if (!response.IsSuccessStatusCode || response.Headers.Contains("X-Amz-Function-Error"))
    {
        throw new InvalidOperationException($"Invoke answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}

async Task<WebApplication> StartHostAsync()
{
    WebApplicationBuilder builder = WebApplication.CreateBuilder();
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    builder.Logging.ClearProviders();
    IDurablyBuilder durably = builder.Services.AddDurably();
    _ = store switch
    {
        "memory" => durably.UseInMemoryStore(),
        "sqlite" => durably.UseSqlite(options =>
        {
            options.ConnectionString = $"Data Source={databasePath}";
            options.Synchronous = synchronous == "normal" ? SqliteSynchronous.Normal : SqliteSynchronous.Full;
        }),
        "postgres" => durably.UsePostgres(schema!.ConnectionString),
        _ => throw new ArgumentException($"Unknown store '{store}'; use sqlite, memory or postgres."),
    };
    durably.AddFunction<int, int>(Workflows.TenSteps, Workflows.TenStepsAsync)
        .AddFunction<string, int>(Workflows.StepWaitStep, Workflows.StepWaitStepAsync)
        .AddFunction<string, string>(Workflows.CallbackResume, Workflows.CallbackResumeAsync);
    WebApplication app = builder.Build();
    app.MapDurably();
    await app.StartAsync();
    return app;
}

string Option(string name, string fallback)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}
