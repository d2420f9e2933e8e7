namespace Durably.Engine;

/// <summary>
/// Functions and their versions. <c>$LATEST</c> (or no qualifier) is the most recently registered
/// version; executions are pinned to a concrete version at start.
/// </summary>
public sealed class FunctionRegistry
{
    /// <summary>The qualifier naming the most recently registered version.</summary>
    public const string Latest = "$LATEST";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<RegisteredFunction>> _functions = new(StringComparer.Ordinal);

    /// <summary>Creates a registry holding <paramref name="functions"/>, registered in order.</summary>
    public FunctionRegistry(IEnumerable<RegisteredFunction>? functions = null)
    {
        foreach (RegisteredFunction function in functions ?? [])
        {
            Register(function);
        }
    }

    /// <summary>Registers a version; registering an existing name and version replaces it.</summary>
    public void Register(RegisteredFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (!EngineLimits.IsValidId(function.Name))
        {
            throw new ArgumentException($"Function name '{function.Name}' must be 1-64 characters of [a-zA-Z0-9-_].", nameof(function));
        }

        if (string.IsNullOrEmpty(function.Version) || function.Version == Latest || function.Version.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Function version '{function.Version}' is not a concrete version.", nameof(function));
        }

        lock (_lock)
        {
            if (!_functions.TryGetValue(function.Name, out List<RegisteredFunction>? versions))
            {
                versions = [];
                _functions.Add(function.Name, versions);
            }

            versions.RemoveAll(existing => existing.Version == function.Version);
            versions.Add(function);
        }
    }

    /// <summary>
    /// Removes a version; the function's <c>$LATEST</c> becomes its most recent remaining version. Executions pinned
    /// to a removed version wait for it to be registered again. False when it was not registered.
    /// </summary>
    public bool Remove(string name, string version)
    {
        lock (_lock)
        {
            if (!_functions.TryGetValue(name, out List<RegisteredFunction>? versions) || versions.RemoveAll(function => function.Version == version) == 0)
            {
                return false;
            }

            if (versions.Count == 0)
            {
                _functions.Remove(name);
            }

            return true;
        }
    }

    /// <summary>True when a function of that name is registered.</summary>
    public bool Contains(string name)
    {
        lock (_lock)
        {
            return _functions.ContainsKey(name);
        }
    }

    /// <summary>
    /// Every registered version: functions by name (ordinal), each function's versions in registration
    /// order, so the last of a function's versions is its <c>$LATEST</c>. A snapshot, for listings.
    /// </summary>
    public IReadOnlyList<RegisteredFunction> GetAll()
    {
        lock (_lock)
        {
            return [.. _functions.OrderBy(entry => entry.Key, StringComparer.Ordinal).SelectMany(entry => entry.Value)];
        }
    }

    /// <summary>The exact version, or null.</summary>
    public RegisteredFunction? Find(string name, string version)
    {
        lock (_lock)
        {
            return _functions.GetValueOrDefault(name)?.FindLast(function => function.Version == version);
        }
    }

    /// <summary>
    /// Resolves <c>name</c>, <c>name:version</c>, <c>name:$LATEST</c> or a function ARN (qualified or not),
    /// optionally with a separate <paramref name="qualifier"/>; throws ResourceNotFoundException.
    /// </summary>
    public RegisteredFunction Resolve(string functionName, string? qualifier = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        (string name, string? version) = Parse(functionName);
        version = qualifier ?? version;
        lock (_lock)
        {
            if (!_functions.TryGetValue(name, out List<RegisteredFunction>? versions) || versions.Count == 0)
            {
                throw ServiceErrorCodes.NotFound($"Function not found: {ServiceErrorCodes.Shorten(functionName)}");
            }

            if (version is null or Latest)
            {
                return versions[^1];
            }

            return versions.FindLast(function => function.Version == version)
                ?? throw ServiceErrorCodes.NotFound($"Function not found: {ServiceErrorCodes.Shorten(name + ":" + version)}");
        }
    }

    /// <summary>Splits a function reference into its name and optional qualifier.</summary>
    public static (string Name, string? Qualifier) Parse(string functionName)
    {
        ArgumentNullException.ThrowIfNull(functionName);
        string reference = functionName;
        const string functionMarker = ":function:";
        int marker = reference.IndexOf(functionMarker, StringComparison.Ordinal);
        if (reference.StartsWith("arn:", StringComparison.Ordinal) && marker >= 0)
        {
            reference = reference[(marker + functionMarker.Length)..];
        }

        int colon = reference.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (reference, null) : (reference[..colon], reference[(colon + 1)..]);
    }
}
