using Durably;
using Durably.Sqlite;
using Durably.LoadDriver;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Usage: dotnet run -c Release --project bench/Durably.LoadDriver -- [--store sqlite|memory] [--synchronous full|normal]
//        [--only a,b,c,d] [--seconds 15] [--clients 32]
string store = Option("--store", "sqlite");
string synchronous = Option("--synchronous", "full");
string only = Option("--only", "a,b,c,d");
int seconds = int.Parse(Option("--seconds", "15"), System.Globalization.CultureInfo.InvariantCulture);
int clients = int.Parse(Option("--clients", "32"), System.Globalization.CultureInfo.InvariantCulture);

HostApplicationBuilder builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
IDurablyBuilder durably = builder.Services.AddDurably();
string databasePath = Path.Combine(Path.GetTempPath(), $"durably-load-{Environment.ProcessId}.db");
_ = store switch
{
    "memory" => durably.UseInMemoryStore(),
    "sqlite" => durably.UseSqlite(options =>
    {
        options.ConnectionString = $"Data Source={databasePath}";
        options.Synchronous = synchronous == "normal" ? SqliteSynchronous.Normal : SqliteSynchronous.Full;
    }),
    _ => throw new ArgumentException($"Unknown store '{store}'; use sqlite or memory."),
};
durably.AddFunction<int, int>(Workflows.TenSteps, Workflows.TenStepsAsync)
    .AddFunction<string, int>(Workflows.StepWaitStep, Workflows.StepWaitStepAsync)
    .AddFunction<string, string>(Workflows.CallbackResume, Workflows.CallbackResumeAsync);
IHost host = builder.Build();
await host.StartAsync();

var scenarios = new Scenarios(host.Services.GetRequiredService<IDurableClient>(), Console.Out);
Console.WriteLine($"Durably load driver: in process, store {store}{(store == "sqlite" ? $" (synchronous={synchronous}, {databasePath})" : "")}, {Environment.ProcessorCount} cores");
if (only.Contains('a', StringComparison.Ordinal)) await scenarios.SequentialAsync();
if (only.Contains('b', StringComparison.Ordinal)) await scenarios.ThroughputAsync(clients, TimeSpan.FromSeconds(seconds));
if (only.Contains('c', StringComparison.Ordinal)) await scenarios.WaitLatenessAsync();
if (only.Contains('d', StringComparison.Ordinal)) await scenarios.CallbackResumeAsync();
await host.StopAsync();
host.Dispose();
foreach (string file in new[] { databasePath, databasePath + "-wal", databasePath + "-shm" })
{
    File.Delete(file);
}

return 0;

string Option(string name, string fallback)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}
