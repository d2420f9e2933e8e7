namespace Durably.Engine.Storage;

/// <summary>An <see cref="IFunctionRegistrationStore"/> in process memory: run-time registrations end with the process.</summary>
public sealed class InMemoryFunctionRegistrationStore : IFunctionRegistrationStore
{
    private readonly Lock _lock = new();
    private readonly List<HttpFunctionRegistration> _registrations = [];

    /// <inheritdoc />
    public Task SaveAsync(HttpFunctionRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _registrations.RemoveAll(saved => saved.Name == registration.Name && saved.Version == registration.Version);
            _registrations.Add(registration);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> RemoveAsync(string name, string version, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_registrations.RemoveAll(saved => saved.Name == name && saved.Version == version) > 0);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<HttpFunctionRegistration>> LoadAllAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<HttpFunctionRegistration>>([.. _registrations]);
        }
    }
}
