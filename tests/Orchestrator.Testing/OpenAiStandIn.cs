using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Testing;

/// <summary>
/// An OpenAI-compatible chat completions server for tests: real Kestrel on 127.0.0.1 (a free port), real protocol
/// (<c>POST /v1/chat/completions</c>, <c>/chat/completions</c> and Azure's
/// <c>/openai/deployments/{deployment}/chat/completions</c>; JSON or SSE when <c>stream</c> is true, <c>usage</c>
/// fields, <c>tool_calls</c> with string arguments, OpenAI error bodies). It answers from a queue of
/// <see cref="StandInReply"/> (then <see cref="Fallback"/>) and records every request.
/// </summary>
public sealed partial class OpenAiStandIn : IAsyncDisposable
{
    public const string DefaultModel = "stand-in-model";
    public const string DefaultKey = "sk-stand-in-0123456789abcdef";
    public const string DefaultDeployment = "stand-in-deployment";

    private readonly WebApplication _app;
    private readonly Queue<StandInReply> _replies = new();
    private readonly List<StandInRequest> _requests = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _completionIds;

    private OpenAiStandIn(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:49152/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The OpenAI-style base URL, <c>http://127.0.0.1:PORT/v1</c>.</summary>
    public Uri OpenAiEndpoint => new(BaseAddress, "v1");

    /// <summary>When set, requests must carry this key (Bearer, or Azure's <c>api-key</c>) or get OpenAI's 401.</summary>
    public string? ExpectedKey { get; set; }

    /// <summary>Answers requests when the queue is empty; by default a 400 saying no reply was queued.</summary>
    public Func<StandInRequest, StandInReply>? Fallback { get; set; }

    /// <summary>Every request received so far, in order.</summary>
    public IReadOnlyList<StandInRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Replies queued and not yet sent.</summary>
    public int PendingReplies
    {
        get
        {
            lock (_gate)
            {
                return _replies.Count;
            }
        }
    }

    public static async Task<OpenAiStandIn> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(OpenAiStandIn).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var standIn = new OpenAiStandIn(app);
        app.MapPost("/v1/chat/completions", standIn.HandleAsync);
        app.MapPost("/chat/completions", standIn.HandleAsync);
        app.MapPost("/openai/deployments/{deployment}/chat/completions", standIn.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        standIn.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return standIn;
    }

    /// <summary>An <c>llm</c> connection string for this server as an OpenAI-compatible endpoint.</summary>
    public string ConnectionString(string? key = DefaultKey, string model = DefaultModel) =>
        $"Endpoint={OpenAiEndpoint};Model={model};Provider=openai" + (key is null ? "" : $";Key={key}");

    /// <summary>An <c>llm</c> connection string for this server posing as Azure OpenAI.</summary>
    public string AzureConnectionString(string deployment = DefaultDeployment, string key = DefaultKey, string? apiVersion = null) =>
        $"Endpoint={BaseAddress};Key={key};Deployment={deployment};Provider=azure-openai" + (apiVersion is null ? "" : $";ApiVersion={apiVersion}");

    /// <summary>Queues replies, answered in order, one per request.</summary>
    public OpenAiStandIn Enqueue(params StandInReply[] replies)
    {
        lock (_gate)
        {
            foreach (var reply in replies)
            {
                _replies.Enqueue(reply);
            }
        }

        return this;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived.</summary>
    public async Task WaitForRequestsAsync(int count, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                if (_requests.Count >= count)
                {
                    return;
                }

                arrived = _arrived.Task;
            }

            await arrived.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            body = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            await WriteErrorAsync(http, 400, $"We could not parse the JSON body of your request. ({ex.Message})", "invalid_request_error");
            return;
        }

        var (request, reply) = Receive(http, body);
        request.StartedAt = started;
        try
        {
            await AnswerAsync(http, request, reply);
        }
        finally
        {
            request.Handling = Stopwatch.GetElapsedTime(started);
        }
    }

    private async Task AnswerAsync(HttpContext http, StandInRequest request, StandInReply reply)
    {
        var body = request.Body;
        if (reply.Delay > TimeSpan.Zero)
        {
            await Task.Delay(reply.Delay, http.RequestAborted);
        }

        if (request.KeyAccepted == false)
        {
            await WriteErrorAsync(http, 401, "Incorrect API key provided: sk-abc***********************xyz. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key");
            return;
        }

        if (reply.Status != 200)
        {
            if (reply.RetryAfter is { } after)
            {
                http.Response.Headers.RetryAfter = Math.Ceiling(after.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                if (reply.RetryAfterMilliseconds)
                {
                    http.Response.Headers["retry-after-ms"] = ((long)after.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
                }
            }

            await WriteErrorAsync(http, reply.Status, reply.ErrorMessage ?? ReasonPhrase(reply.Status), reply.Status == 429 ? "rate_limit_exceeded" : "server_error");
            return;
        }

        var id = $"chatcmpl-standin-{Interlocked.Increment(ref _completionIds)}";
        var model = request.Model ?? http.Request.RouteValues["deployment"]?.ToString() ?? DefaultModel;
        var usage = reply.Usage ?? Estimate(body, reply);
        if (request.Stream)
        {
            await WriteStreamAsync(http, id, model, reply, request.IncludeUsage ? usage : null);
        }
        else
        {
            await WriteCompletionAsync(http, id, model, reply, usage);
        }
    }

    private (StandInRequest Request, StandInReply Reply) Receive(HttpContext http, JsonElement body)
    {
        var headers = http.Request.Headers.ToDictionary(
            h => h.Key.ToLowerInvariant(),
            h => h.Key.Equals("authorization", StringComparison.OrdinalIgnoreCase) || h.Key.Equals("api-key", StringComparison.OrdinalIgnoreCase)
                ? "(redacted)"
                : h.Value.ToString());
        var authorization = http.Request.Headers.Authorization.ToString();
        var bearer = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
        var apiKey = http.Request.Headers.TryGetValue("api-key", out var value) ? value.ToString() : null;
        bool? accepted = ExpectedKey is { } expected ? bearer == expected || apiKey == expected : null;

        lock (_gate)
        {
            var request = new StandInRequest(
                _requests.Count + 1, http.Request.Path, http.Request.QueryString.Value ?? "", DateTimeOffset.UtcNow, body, headers,
                !string.IsNullOrEmpty(bearer), apiKey is not null, accepted);
            _requests.Add(request);
            var reply = _replies.TryDequeue(out var queued) ? queued : null;
            _arrived.TrySetResult();
            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return (request, reply ?? Fallback?.Invoke(request)
                ?? StandInReply.Error(400, $"OpenAiStandIn: no reply queued for request #{request.Number}."));
        }
    }
}
