using Durably.Engine;
using Durably.Engine.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Durably;

/// <summary>Store and function registration on <see cref="IDurablyBuilder"/>.</summary>
public static class DurablyBuilderExtensions
{
    /// <summary>Keeps executions and run-time function registrations in process memory (lost on restart): for tests and demos.</summary>
    public static IDurablyBuilder UseInMemoryStore(this IDurablyBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IExecutionStore, InMemoryExecutionStore>());
        builder.Services.Replace(ServiceDescriptor.Singleton<IFunctionRegistrationStore, InMemoryFunctionRegistrationStore>());
        return builder;
    }

    /// <summary>Registers a durable function with a result, run in process.</summary>
    public static IDurablyBuilder AddFunction<TInput, TOutput>(
        this IDurablyBuilder builder, string name, Func<TInput, IDurableContext, Task<TOutput>> handler, Action<DurableFunctionRegistration>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return builder.AddFunctionDescriptor(name, configure, registration =>
            (loggerFactory, time) => FunctionHandlers.Durable(name, handler, registration.Serializer, loggerFactory, time, registration.Tracing));
    }

    /// <summary>Registers a durable function without a result, run in process.</summary>
    public static IDurablyBuilder AddFunction<TInput>(
        this IDurablyBuilder builder, string name, Func<TInput, IDurableContext, Task> handler, Action<DurableFunctionRegistration>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return builder.AddFunctionDescriptor(name, configure, registration =>
            (loggerFactory, time) => FunctionHandlers.Durable(name, handler, registration.Serializer, loggerFactory, time, registration.Tracing));
    }

    /// <summary>
    /// Registers a function by its raw invocation handler: it receives the envelope and checkpoints
    /// through the given client itself (the shape of HTTP functions and of protocol tests).
    /// </summary>
    public static IDurablyBuilder AddRawFunction(
        this IDurablyBuilder builder, string name, InvocationHandler handler, Action<DurableFunctionRegistration>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return builder.AddFunctionDescriptor(name, configure, _ => (_, _) => handler);
    }

    /// <summary>
    /// Registers a function that lives behind <paramref name="endpoint"/> (another process, machine or language):
    /// each invocation POSTs the envelope there and reads the output; the function checkpoints through the REST
    /// API (docs/http-functions.md). <see cref="DurableFunctionRegistration.InvocationTimeout"/> bounds each POST;
    /// <see cref="DurableFunctionRegistration.Serializer"/> does not apply.
    /// </summary>
    public static IDurablyBuilder AddHttpFunction(
        this IDurablyBuilder builder, string name, Uri endpoint, Action<DurableFunctionRegistration>? configure = null)
    {
        HttpFunction.CheckEndpoint(endpoint);
        return builder.AddFunctionDescriptor(name, configure, registration =>
            (_, time) => HttpFunction.CreateHandler(endpoint, registration.InvocationTimeout, time), endpoint);
    }

    private static IDurablyBuilder AddFunctionDescriptor(
        this IDurablyBuilder builder, string name, Action<DurableFunctionRegistration>? configure,
        Func<DurableFunctionRegistration, Func<Microsoft.Extensions.Logging.ILoggerFactory?, TimeProvider, InvocationHandler>> createHandler, Uri? url = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var registration = new DurableFunctionRegistration();
        configure?.Invoke(registration);
        FunctionDescriptor.CheckRegistration(name, registration);
        builder.Services.AddSingleton(new FunctionDescriptor(name, registration, createHandler(registration)) { Url = url });
        return builder;
    }
}
