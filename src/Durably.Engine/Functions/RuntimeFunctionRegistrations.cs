using Durably.Engine.Storage;
using Durably.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Durably.Engine;

/// <summary>
/// The HTTP functions registered while the engine runs (docs/http-functions.md): each change is written to the
/// <see cref="IFunctionRegistrationStore"/> first and applied to the engine's <see cref="FunctionRegistry"/> once it is
/// durable, and <see cref="LoadAsync"/> registers them again when the engine starts. Functions registered in code
/// win: a run-time registration can neither add a version to them (which would take over <c>$LATEST</c>, its inputs and
/// checkpoint tokens) nor replace or remove them.
/// </summary>
public sealed class RuntimeFunctionRegistrations : IDisposable
{
    private readonly DurableEngine _engine;
    private readonly IFunctionRegistrationStore _store;
    private readonly ILogger _logger;

    // One change at a time, so the store's order is the registry's ($LATEST) and a check holds until its write.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<(string Name, string Version)> _registered = [];
    private readonly IHttpClientFactory? _httpClientFactory;
    private bool _loaded;

    /// <summary>
    /// Run-time registrations of <paramref name="engine"/>'s functions, kept in <paramref name="store"/>; their invocations
    /// POST with <paramref name="httpClientFactory"/>'s <see cref="HttpFunction.HttpClientName"/> client when given.
    /// </summary>
    public RuntimeFunctionRegistrations(
        DurableEngine engine, IFunctionRegistrationStore store, ILoggerFactory? loggerFactory = null, IHttpClientFactory? httpClientFactory = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(store);
        _engine = engine;
        _store = store;
        _httpClientFactory = httpClientFactory;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Durably.Engine");
    }

    /// <summary>
    /// Why a saved endpoint may not be registered under today's rules, or null when it may (the server's allowed hosts,
    /// which depend on whether API keys are configured). Checked by <see cref="LoadAsync"/>; null: every endpoint passes.
    /// </summary>
    public Func<Uri, string?>? EndpointRule { get; set; }

    /// <summary>
    /// Registers the saved registrations in the engine, in the order they were saved. Call it before the engine starts
    /// (the hosted service does): invocations reclaimed and timers fired at start must find their function. A saved
    /// registration whose function name is now registered in code, or whose endpoint <see cref="EndpointRule"/> refuses,
    /// is not registered and is logged as a warning; it stays in the store. Later calls do nothing.
    /// </summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_loaded)
            {
                return;
            }

            foreach (HttpFunctionRegistration registration in await _store.LoadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (IsRegisteredInCode(registration.Name))
                {
                    _logger.RuntimeRegistrationShadowed(registration.Name, registration.Version);
                    continue;
                }

                if (EndpointRule?.Invoke(registration.Url) is { } refusal)
                {
                    _logger.RuntimeRegistrationRefused(registration.Name, registration.Version, refusal);
                    continue;
                }

                _engine.Functions.Register(registration.ToRegisteredFunction(_engine.TimeProvider, _httpClientFactory));
                _registered.Add((registration.Name, registration.Version));
            }

            _loaded = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Saves and registers a version, replacing an earlier run-time registration of it.</summary>
    /// <returns>True when it replaced one.</returns>
    /// <exception cref="DurableServiceException">409 ResourceConflictException: a function of that name is registered in code.</exception>
    public async Task<bool> RegisterAsync(HttpFunctionRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        RegisteredFunction function = registration.ToRegisteredFunction(_engine.TimeProvider, _httpClientFactory);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsRegisteredInCode(function.Name))
            {
                throw new DurableServiceException(ServiceErrorCodes.ResourceConflict, 409,
                    $"Function {function.Name} is registered in code; a run-time registration can neither add a version to it nor replace it. Register another name.");
            }

            bool replaced = _registered.Contains((function.Name, function.Version));

            await _store.SaveAsync(registration, cancellationToken).ConfigureAwait(false);
            _engine.Functions.Register(function);
            _registered.Add((function.Name, function.Version));
            return replaced;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes one run-time registered version, or every run-time registered version of the function when <paramref name="version"/> is null.</summary>
    /// <exception cref="DurableServiceException">409 when only code registrations match; 404 when nothing does.</exception>
    public async Task RemoveAsync(string name, string? version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<(string Name, string Version)> removable = [.. _registered.Where(entry => entry.Name == name && (version is null || entry.Version == version))];
            if (removable.Count == 0)
            {
                bool exists = version is null ? _engine.Functions.Contains(name) : _engine.Functions.Find(name, version) is not null;
                throw exists
                    ? new DurableServiceException(ServiceErrorCodes.ResourceConflict, 409, $"Function {name} is registered in code; only run-time registrations can be removed.")
                    : ServiceErrorCodes.NotFound($"Function not found: {ServiceErrorCodes.Shorten(version is null ? name : name + ":" + version)}");
            }

            foreach ((string removedName, string removedVersion) in removable)
            {
                await _store.RemoveAsync(removedName, removedVersion, cancellationToken).ConfigureAwait(false);
                _engine.Functions.Remove(removedName, removedVersion);
                _registered.Remove((removedName, removedVersion));
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>True when some version of <paramref name="name"/> in the engine was not registered at run time.</summary>
    private bool IsRegisteredInCode(string name) =>
        _engine.Functions.GetAll().Any(function => function.Name == name && !_registered.Contains((function.Name, function.Version)));

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
}
