namespace Orchestrator.Http;

/// <summary>
/// The feature board: static HTML, CSS and JavaScript modules under <c>wwwroot/board/</c>, served at <c>/board/</c>.
/// The files hold no data, so they need no API key; the page asks for one and sends it with every API call it makes.
/// Everything it shows comes from untrusted text (requests, model output), so the board is served with a policy that
/// allows only its own files: no inline script, no other origin, no framing.
/// </summary>
public static class BoardPage
{
    public const string Path = "/board";

    /// <summary>Only this service's own files, and its own API for the page's requests.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Headers for the board's files, then the files; <c>/board</c> redirects to <c>/board/</c> so relative module paths resolve.</summary>
    public static WebApplication UseBoard(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(Path))
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.XFrameOptions = "DENY";
                // The board changes with the service, never under a running one's cache.
                headers.CacheControl = "no-cache";
                // Not an endpoint: routing would match "/board/" to it too, and static files skip a request with an endpoint.
                if (context.Request.Path.Value == Path)
                {
                    context.Response.Redirect($"{Path}/");
                    return Task.CompletedTask;
                }
            }

            return next(context);
        });
        app.UseDefaultFiles();
        app.UseStaticFiles();
        return app;
    }
}
