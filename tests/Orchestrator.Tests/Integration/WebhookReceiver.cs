using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Tests.Integration;

/// <summary>One request as the receiver got it: every header and the exact body bytes.</summary>
public sealed record ReceivedWebhook(IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : throw new Xunit.Sdk.XunitException($"No {name} header.");
}

/// <summary>
/// A webhook receiver for tests: real Kestrel on 127.0.0.1 (a free port), <c>POST /hooks/orchestrator</c>. It answers the
/// n-th request with the n-th status given (the last one after that); <see cref="NoAnswer"/> holds the request open until
/// the sender gives up on it. Records every request.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    /// <summary>Never answer: the sender's attempt timeout has to end the request.</summary>
    public const int NoAnswer = 0;

    private readonly WebApplication _app;
    private readonly int[] _statuses;
    private readonly List<ReceivedWebhook> _received = [];
    private readonly Lock _gate = new();

    private WebhookReceiver(WebApplication app, int[] statuses)
    {
        _app = app;
        _statuses = statuses;
    }

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<ReceivedWebhook> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    public static async Task<WebhookReceiver> StartAsync(params int[] statuses)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(WebhookReceiver).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, statuses.Length > 0 ? statuses : [StatusCodes.Status200OK]);
        app.MapPost("/hooks/orchestrator", receiver.HandleAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address.TrimEnd('/') + "/hooks/orchestrator?token=query-token-not-to-be-logged");
        return receiver;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived; returns them all.</summary>
    public Task<IReadOnlyList<ReceivedWebhook>> ReceivedAsync(int count) =>
        Eventually.ValueAsync(() => Received is { } all && all.Count >= count ? all : null, $"{count} webhook requests (got {Received.Count})");

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        int status;
        lock (_gate)
        {
            _received.Add(new ReceivedWebhook(
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray()));
            status = _statuses[Math.Min(_received.Count, _statuses.Length) - 1];
        }

        if (status == NoAnswer)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
        }

        context.Response.StatusCode = status;
    }
}
