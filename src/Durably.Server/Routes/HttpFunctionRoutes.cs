using System.Text.RegularExpressions;
using Durably.Engine;
using Durably.Protocol;
using Durably.Server.Routing;
using Durably.Server.Security;
using Microsoft.AspNetCore.Http;

namespace Durably.Server.Routes;

/// <summary>
/// Registers and removes HTTP functions on a running server (docs/http-functions.md): <c>POST /durably/functions</c>
/// and <c>DELETE /durably/functions/{FunctionName}[?Version=]</c>. Registrations live in memory: a restart forgets
/// them, and executions pinned to a forgotten version wait until it is registered again. Only run-time
/// registrations can be replaced or removed; functions registered in code cannot.
/// </summary>
internal sealed partial class HttpFunctionRoutes(DurableEngine engine, DurablyOptions options, FunctionEndpointPolicy policy)
{
    private const int MaxBodyBytes = 16_384;
    private const int MaxInvocationTimeoutSeconds = 900;

    private readonly Lock _lock = new();
    private readonly HashSet<(string Name, string Version)> _registered = [];

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,128}$")]
    private static partial Regex VersionPattern();

    /// <summary>Registers (or replaces a run-time registration of) a version: 201 when new, 200 when replaced.</summary>
    public async Task RegisterAsync(HttpContext context)
    {
        RegisterHttpFunctionRequest body = await RequestBody.ReadJsonAsync<RegisterHttpFunctionRequest>(context, MaxBodyBytes, "The function registration").ConfigureAwait(false)
            ?? throw ApiErrors.InvalidParameter("The function registration needs a JSON body {FunctionName, Url, …}.");
        RegisteredFunction function = Validate(body, out Uri url);
        bool replaced;
        lock (_lock)
        {
            replaced = _registered.Contains((function.Name, function.Version));
            if (!replaced && engine.Functions.Find(function.Name, function.Version) is not null)
            {
                throw new DurableServiceException(ServiceErrorCodes.ResourceConflict, 409,
                    $"Function {function.Name}:{function.Version} is registered in code; register another version.");
            }

            engine.Functions.Register(function);
            _registered.Add((function.Name, function.Version));
        }

        await ApiResponses.WriteJsonAsync(context, Describe(function, url), replaced ? StatusCodes.Status200OK : StatusCodes.Status201Created).ConfigureAwait(false);
    }

    /// <summary>Removes one run-time registered version (<c>Version=</c>) or all of a function's: 204.</summary>
    public Task RemoveAsync(HttpContext context, string functionName)
    {
        if (!NamePattern().IsMatch(functionName))
        {
            throw ApiErrors.InvalidParameter($"FunctionName '{QueryParameters.Shorten(functionName)}' is invalid: it must be 1-64 characters of [a-zA-Z0-9-_].");
        }

        string? version = new QueryParameters(context.Request.Query).GetString("Version");
        lock (_lock)
        {
            List<(string Name, string Version)> removable = [.. _registered.Where(entry => entry.Name == functionName && (version is null || entry.Version == version))];
            if (removable.Count == 0)
            {
                bool exists = version is null ? engine.Functions.Contains(functionName) : engine.Functions.Find(functionName, version) is not null;
                throw exists
                    ? new DurableServiceException(ServiceErrorCodes.ResourceConflict, 409, $"Function {functionName} is registered in code; only run-time registrations can be removed.")
                    : ServiceErrorCodes.NotFound($"Function not found: {functionName}{(version is null ? "" : ":" + version)}");
            }

            foreach ((string name, string registeredVersion) in removable)
            {
                engine.Functions.Remove(name, registeredVersion);
                _registered.Remove((name, registeredVersion));
            }
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private RegisteredFunction Validate(RegisterHttpFunctionRequest body, out Uri url)
    {
        if (body.FunctionName is null || !NamePattern().IsMatch(body.FunctionName))
        {
            throw ApiErrors.InvalidParameter($"FunctionName '{QueryParameters.Shorten(body.FunctionName ?? "")}' is invalid: it must be 1-64 characters of [a-zA-Z0-9-_].");
        }

        if (body.Url is null || !Uri.TryCreate(body.Url, UriKind.Absolute, out Uri? parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps) || parsed.UserInfo.Length > 0 || parsed.Fragment.Length > 0)
        {
            throw ApiErrors.InvalidParameter($"Url '{QueryParameters.Shorten(body.Url ?? "")}' is invalid: it must be an absolute http:// or https:// URL without user info or fragment.");
        }

        policy.Check(parsed);
        string version = body.Version ?? "1";
        if (!VersionPattern().IsMatch(version))
        {
            throw ApiErrors.InvalidParameter($"Version '{QueryParameters.Shorten(version)}' is invalid: it must be 1-128 characters of [a-zA-Z0-9-_].");
        }

        var defaults = new DurableFunctionRegistration();
        TimeSpan executionTimeout = Seconds(body.ExecutionTimeout, defaults.ExecutionTimeout, "ExecutionTimeout", 1, 31_622_400);
        TimeSpan invocationTimeout = Seconds(body.InvocationTimeout, defaults.InvocationTimeout, "InvocationTimeout", 1, MaxInvocationTimeoutSeconds);
        int retention = body.RetentionPeriodInDays ?? defaults.RetentionPeriodInDays;
        if (retention is < 1 or > 90)
        {
            throw ApiErrors.InvalidParameter($"RetentionPeriodInDays must be between 1 and 90; got {retention}.");
        }

        url = parsed;
        return new RegisteredFunction
        {
            Name = body.FunctionName,
            Version = version,
            ExecutionTimeout = executionTimeout,
            RetentionPeriodInDays = retention,
            InvocationTimeout = invocationTimeout,
            Handler = HttpFunction.CreateHandler(parsed, invocationTimeout, engine.TimeProvider),
        };
    }

    private static TimeSpan Seconds(int? value, TimeSpan fallback, string field, int min, int max)
    {
        if (value is null)
        {
            return fallback;
        }

        return value >= min && value <= max
            ? TimeSpan.FromSeconds(value.Value)
            : throw ApiErrors.InvalidParameter($"{field} must be between {min} and {max} seconds; got {value}.");
    }

    private HttpFunctionConfiguration Describe(RegisteredFunction function, Uri url) => new(
        function.Name,
        $"arn:aws:lambda:{options.Region}:{options.Account}:function:{function.Name}:{function.Version}",
        function.Version,
        url.AbsoluteUri,
        (int)function.InvocationTimeout.TotalSeconds,
        new DurableConfig
        {
            ExecutionTimeout = (int)function.ExecutionTimeout.TotalSeconds,
            RetentionPeriodInDays = function.RetentionPeriodInDays,
        });

    /// <summary>The body of <c>POST /durably/functions</c>; timeouts in seconds.</summary>
    private sealed record RegisterHttpFunctionRequest(
        string? FunctionName = null, string? Url = null, string? Version = null,
        int? ExecutionTimeout = null, int? RetentionPeriodInDays = null, int? InvocationTimeout = null);

    /// <summary>The answer: Lambda's FunctionConfiguration fields Durably knows, plus the endpoint.</summary>
    private sealed record HttpFunctionConfiguration(
        string FunctionName, string FunctionArn, string Version, string Url, int InvocationTimeout, DurableConfig DurableConfig);
}
