using Durably;
using OrderProcessing;
using OrderProcessing.Diagnostics;

// The sample server: Durably's REST API on http://127.0.0.1:5080 with the order workflow,
// on one SQLite file (durably.db in the working directory) or, with --store postgres, on a PostgreSQL database that
// several such servers (nodes) may share. Options: --urls, --db <path>, --store sqlite|postgres,
// --connection-string <Npgsql connection string> (or the environment variable DURABLY_POSTGRES, which alone also
// selects PostgreSQL), --side-effects <file> (registers the crash-test workload of tests/Durably.CrashSafety.Tests,
// journaling to that file).
WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
string urls = builder.Configuration["urls"] ?? "http://127.0.0.1:5080";
builder.WebHost.UseUrls(urls);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

var workflow = new OrderWorkflow(new ConsoleApprovalDesk(Console.Out), new FlakyPaymentGateway(failures: 1));
IDurablyBuilder durably = builder.Services.AddDurably();
string storeDescription = SampleStore.Configure(durably, builder.Configuration);
durably
    .AddFunction<OrderEvent, OrderResult>("order-processor", workflow.HandleAsync, function =>
    {
        function.Version = "1";
        function.ExecutionTimeout = TimeSpan.FromDays(7);
    });
builder.Services.AddOrderTelemetry(builder.Configuration);
if (builder.Configuration["side-effects"] is { } sideEffectJournal)
{
    CrashTestWorkflow.Register(durably, sideEffectJournal);
}

WebApplication app = builder.Build();
app.MapDurably();
app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($$"""
    Console: open {{app.Urls.First().TrimEnd('/')}}/ in a browser to see, start and approve orders (docs/console.md).
    Durably is serving order-processor on {{string.Join(", ", app.Urls)}} (store: {{storeDescription}}).

    Start an order and follow it with the CLI:
      dotnet run --project src/Durably.Cli -- invoke order-processor '{"orderId":"o-1","amount":42.5,"currency":"EUR"}' --name o-1 --async
      dotnet run --project src/Durably.Cli -- history <execution-arn> --follow
    The server prints the command that approves the order when it asks for approval.
    Ctrl+C stops the server; executions resume where they were when it starts again.
    """));
app.Run();
