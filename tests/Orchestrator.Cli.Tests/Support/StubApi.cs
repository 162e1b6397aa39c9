using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Cli.Tests.Support;

/// <summary>
/// A real Kestrel server on 127.0.0.1 with a random port that plays the Orchestrator API from a script:
/// each GET of a feature returns the next scripted snapshot, and the last one repeats forever.
/// </summary>
internal sealed class StubApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Lock _gate = new();
    private readonly List<StubResponse> _featureScript;
    private int _featureIndex;

    private StubApi(WebApplication app, IEnumerable<StubResponse> featureScript)
    {
        _app = app;
        _featureScript = featureScript.ToList();
    }

    public Uri BaseAddress { get; private set; } = null!;

    public string Url => BaseAddress.ToString();

    public StubResponse? Submit { get; init; }

    public StubResponse? List { get; init; }

    public StubResponse? Cancel { get; init; }

    /// <summary>Further answers by <c>"METHOD /path"</c>, for routes the properties above do not cover.</summary>
    public Dictionary<string, StubResponse> Routes { get; } = new(StringComparer.Ordinal);

    // Settable after the start: the handler reads them per request.
    public StubResponse? Approve { get; set; }

    public StubResponse? Reject { get; set; }

    /// <summary>When set, every request without <c>Authorization: Bearer</c> and this key is answered 401, as the API does.</summary>
    public string? RequiredKey { get; set; }

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToList();

    /// <summary>A stub that only serves <c>GET /features/{id}</c>, from <paramref name="featureScript"/>.</summary>
    public static Task<StubApi> ServingFeatureAsync(params StubResponse[] featureScript) =>
        StartAsync(submit: null, list: null, cancel: null, featureScript);

    public static async Task<StubApi> StartAsync(
        StubResponse? submit, StubResponse? list, StubResponse? cancel, params StubResponse[] featureScript)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();

        var stub = new StubApi(app, featureScript) { Submit = submit, List = list, Cancel = cancel };
        app.Run(stub.HandleAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Single();
        stub.BaseAddress = new Uri(address + "/");
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
        var method = context.Request.Method;
        var path = context.Request.Path.Value ?? "";
        var authorization = context.Request.Headers.Authorization.ToString();
        _requests.Enqueue(new RecordedRequest(method, path, body, authorization.Length == 0 ? null : authorization));

        var segments = path.Trim('/').Split('/');
        var response = (method, segments) switch
        {
            ("POST", ["features"]) => Submit,
            ("GET", ["features"]) => List,
            ("GET", ["features", _]) => NextFeatureSnapshot(),
            ("POST", ["features", _, "cancel"]) => Cancel,
            ("POST", ["features", _, "approve"]) => Approve,
            ("POST", ["features", _, "reject"]) => Reject,
            _ => Routes.GetValueOrDefault($"{method} {path}"),
        } ?? StubResponse.Problem(404, "Not Found", $"the stub has no answer for {method} {path}");
        if (RequiredKey is not null && authorization != $"Bearer {RequiredKey}")
        {
            response = StubResponse.Problem(401, "API key refused", "The bearer key is not one of the API keys this orchestrator accepts.");
        }

        context.Response.StatusCode = response.Status;
        context.Response.ContentType = response.ContentType;
        if (response.Location is not null)
        {
            context.Response.Headers.Location = response.Location;
        }

        await context.Response.WriteAsync(response.Body, context.RequestAborted);
    }

    private StubResponse? NextFeatureSnapshot()
    {
        lock (_gate)
        {
            if (_featureScript.Count == 0)
            {
                return null;
            }

            var response = _featureScript[Math.Min(_featureIndex, _featureScript.Count - 1)];
            _featureIndex++;
            return response;
        }
    }
}
