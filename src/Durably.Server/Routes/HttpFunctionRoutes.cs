using System.Text.RegularExpressions;
using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Protocol;
using Durably.Server.Routing;
using Durably.Server.Security;
using Microsoft.AspNetCore.Http;

namespace Durably.Server.Routes;

/// <summary>
/// Registers and removes HTTP functions on a running server (docs/http-functions.md): <c>POST /durably/functions</c>
/// and <c>DELETE /durably/functions/{FunctionName}[?Version=]</c>. Registrations survive restarts:
/// <see cref="RuntimeFunctionRegistrations"/> writes each change to the engine's <see cref="IFunctionRegistrationStore"/>
/// (the SQLite file with <c>UseSqlite</c>) before it is answered, and registers them again when the server starts,
/// before any execution runs. Only run-time registrations can be replaced or removed; functions registered in code cannot.
/// </summary>
internal sealed partial class HttpFunctionRoutes(RuntimeFunctionRegistrations registrations, DurablyOptions options, FunctionEndpointPolicy policy)
{
    private const int MaxBodyBytes = 16_384;
    private const int MaxInvocationTimeoutSeconds = 900;

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,128}$")]
    private static partial Regex VersionPattern();

    /// <summary>Registers (or replaces a run-time registration of) a version: 201 when new, 200 when replaced; answered once durable.</summary>
    public async Task RegisterAsync(HttpContext context)
    {
        RegisterHttpFunctionRequest body = await RequestBody.ReadJsonAsync<RegisterHttpFunctionRequest>(context, MaxBodyBytes, "The function registration").ConfigureAwait(false)
            ?? throw ApiErrors.InvalidParameter("The function registration needs a JSON body {FunctionName, Url, …}.");
        HttpFunctionRegistration registration = Validate(body);
        bool replaced = await registrations.RegisterAsync(registration, context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.WriteJsonAsync(context, Describe(registration), replaced ? StatusCodes.Status200OK : StatusCodes.Status201Created).ConfigureAwait(false);
    }

    /// <summary>Removes one run-time registered version (<c>Version=</c>) or all of a function's: 204, answered once durable.</summary>
    public async Task RemoveAsync(HttpContext context, string functionName)
    {
        if (!ApiNames.IsValid(functionName))
        {
            throw ApiErrors.InvalidParameter($"FunctionName '{QueryParameters.Shorten(functionName)}' is invalid: it must be {ApiNames.Rule}.");
        }

        string? version = new QueryParameters(context.Request.Query).GetString("Version");
        await registrations.RemoveAsync(functionName, version, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private HttpFunctionRegistration Validate(RegisterHttpFunctionRequest body)
    {
        if (body.FunctionName is null || !ApiNames.IsValid(body.FunctionName))
        {
            throw ApiErrors.InvalidParameter($"FunctionName '{QueryParameters.Shorten(body.FunctionName ?? "")}' is invalid: it must be {ApiNames.Rule}.");
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

        return new HttpFunctionRegistration(body.FunctionName, version, parsed, executionTimeout, retention, invocationTimeout);
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

    private HttpFunctionConfiguration Describe(HttpFunctionRegistration registration) => new(
        registration.Name,
        $"arn:aws:lambda:{options.Region}:{options.Account}:function:{registration.Name}:{registration.Version}",
        registration.Version,
        registration.Url.AbsoluteUri,
        (int)registration.InvocationTimeout.TotalSeconds,
        new DurableConfig
        {
            ExecutionTimeout = (int)registration.ExecutionTimeout.TotalSeconds,
            RetentionPeriodInDays = registration.RetentionPeriodInDays,
        });

    /// <summary>The body of <c>POST /durably/functions</c>; timeouts in seconds.</summary>
    private sealed record RegisterHttpFunctionRequest(
        string? FunctionName = null, string? Url = null, string? Version = null,
        int? ExecutionTimeout = null, int? RetentionPeriodInDays = null, int? InvocationTimeout = null);

    /// <summary>The answer: Lambda's FunctionConfiguration fields Durably knows, plus the endpoint.</summary>
    private sealed record HttpFunctionConfiguration(
        string FunctionName, string FunctionArn, string Version, string Url, int InvocationTimeout, DurableConfig DurableConfig);
}
