using Durably;
using DurablyServer;

// A Durably server: the Lambda-compatible REST API, the web console at / and the "orders" durable function,
// on one SQLite file. Options: --urls (default http://127.0.0.1:5080), --db (default durably.db).
// Listening beyond 127.0.0.1 needs an API key: configuration Durably:Server:ApiKeys:0 (32+ characters).
WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:5080");
string database = Path.GetFullPath(builder.Configuration["db"] ?? "durably.db");

builder.Services.AddDurably()
    .UseSqlite($"Data Source={database}")
    .AddFunction<Order, Receipt>("orders", OrderWorkflow.HandleAsync);

WebApplication app = builder.Build();
app.MapDurably();
app.Run();
