using Durably.Server.Console;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Durably's web console (docs/console.md).</summary>
public static class DurablyConsoleEndpointRouteBuilderExtensions
{
    /// <summary>The URL path under which the console's scripts and styles are served.</summary>
    public const string AssetPrefix = "/_console/";

    // Everything the page loads comes from this origin; no inline script or style, no framing, no plugins.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>
    /// Maps the web console: its page at <c>/</c> and its static files under <c>/_console/</c>, embedded in this assembly.
    /// The files hold no data: the page reads everything through the REST API with the user's API key.
    /// <see cref="DurablyEndpointRouteBuilderExtensions.MapDurably(IEndpointRouteBuilder)"/> calls it; an application's own
    /// endpoint at <c>/</c> takes precedence over the console's.
    /// </summary>
    public static IEndpointConventionBuilder MapDurablyConsole(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        RouteGroupBuilder group = endpoints.MapGroup("");
        group.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], context => ServeAsync(context, "index.html")).WithOrder(1);
        group.MapMethods(AssetPrefix + "{**path}", [HttpMethods.Get, HttpMethods.Head], context => ServeAsync(context, (string?)context.Request.RouteValues["path"] ?? ""));
        return group;
    }

    private static Task ServeAsync(HttpContext context, string path)
    {
        HttpResponse response = context.Response;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
        if (!ConsoleAssets.All.TryGetValue(path, out ConsoleAsset? asset))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        // File names are not fingerprinted, so the browser revalidates every time: a 304 costs one small round trip.
        response.Headers.CacheControl = "no-cache";
        response.Headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(asset.Content, context.RequestAborted).AsTask();
    }
}
