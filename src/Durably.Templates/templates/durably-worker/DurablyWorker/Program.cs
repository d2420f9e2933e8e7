using DurablyWorker;

// A worker process: hosts the "shipment" durable function at POST /shipment. A Durably server invokes it over HTTP
// and it checkpoints through that server's REST API (Durably:Worker:ServerUrl in appsettings.json).
// Register it on the server:  durably functions add shipment --url http://127.0.0.1:5090/shipment
// Options: --urls (default http://127.0.0.1:5090), --Durably:Worker:ServerUrl <url>, --Durably:Worker:ApiKey <key>.
WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:5090");

WebApplication app = builder.Build();
app.MapDurableFunction<ShipmentRequest, ShipmentResult>("/shipment", ShipmentWorkflow.HandleAsync);
app.MapGet("/health", () => "Healthy");
app.Run();
