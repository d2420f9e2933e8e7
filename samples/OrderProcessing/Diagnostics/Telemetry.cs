using Durably.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OrderProcessing.Diagnostics;

/// <summary>
/// Exports Durably's traces and metrics over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter
/// reads it and the other standard <c>OTEL_*</c> variables itself); nothing is registered, and nothing costs,
/// when it is not (docs/observability.md).
/// </summary>
internal static class Telemetry
{
    public static IServiceCollection AddOrderTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? "order-processing"))
            .WithTracing(tracing => tracing.AddSource(DurablyTelemetry.SourceName).AddOtlpExporter())
            .WithMetrics(metrics => metrics.AddMeter(DurablyTelemetry.SourceName).AddOtlpExporter());
        return services;
    }
}
