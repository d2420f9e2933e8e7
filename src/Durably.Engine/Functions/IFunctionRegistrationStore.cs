namespace Durably.Engine.Storage;

/// <summary>
/// Where the HTTP functions registered at run time (<c>POST /durably/functions</c>) are kept, so that they survive a
/// restart: <see cref="RuntimeFunctionRegistrations"/> saves each one before answering and loads them all back when
/// the engine starts. A write's task completes only once it is durable.
/// </summary>
public interface IFunctionRegistrationStore
{
    /// <summary>
    /// Saves <paramref name="registration"/>, replacing a saved registration of the same name and version; either way
    /// it becomes the last in the order <see cref="LoadAllAsync"/> returns.
    /// </summary>
    Task SaveAsync(HttpFunctionRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>Removes the registration of that name and version; false when none was saved.</summary>
    Task<bool> RemoveAsync(string name, string version, CancellationToken cancellationToken = default);

    /// <summary>Every saved registration, in the order of their last save (so a function's last is its <c>$LATEST</c>).</summary>
    Task<IReadOnlyList<HttpFunctionRegistration>> LoadAllAsync(CancellationToken cancellationToken = default);
}
