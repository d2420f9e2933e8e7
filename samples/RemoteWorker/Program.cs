using RemoteWorker;

// A worker process: hosts the "shipment" durable function on http://127.0.0.1:5090/shipment and checkpoints
// through the Durably server at Durably:Worker:ServerUrl (appsettings.json: the sample server on 127.0.0.1:5080).
// Options: --urls, --Durably:Worker:ServerUrl <url>, --Durably:Worker:ApiKey <key>.
WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
string urls = builder.Configuration["urls"] ?? "http://127.0.0.1:5090";
builder.WebHost.UseUrls(urls);

WebApplication app = builder.Build();
app.MapDurableFunction<ShipmentRequest, ShipmentResult>("/shipment", ShipmentWorkflow.RunAsync);
app.MapGet("/health", () => "Healthy");
app.Run();
