using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using OpenAI;

namespace Orchestrator.Llm;

/// <summary>
/// The configured <c>llm</c> endpoint: one long-lived HTTP client (retries, timeouts, the key) shared by every chat
/// client made for it. Chat clients are the OpenAI SDK's, turned into <see cref="IChatClient"/> exactly as Semantic
/// Kernel's OpenAI connector does for its <c>AddOpenAIChatClient</c>.
/// </summary>
internal sealed class ModelEndpoint : IDisposable
{
    // The SDK insists on a credential; the real key is added per request by ModelEndpointCredentialHandler.
    private static readonly ApiKeyCredential Placeholder = new("key-added-by-the-credential-handler");

    private readonly HttpClient _http;

    public ModelEndpoint(LlmConnection connection, ModelOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        Connection = connection;
        var transport = new SocketsHttpHandler
        {
            // Long-lived client: pick up DNS changes of the endpoint.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            // The endpoint is outside the system: the internal trace context and baggage (message conversation ids) stay in.
            ActivityHeadersPropagator = System.Diagnostics.DistributedContextPropagator.CreateNoOutputPropagator(),
        };

        // Not from IHttpClientFactory on purpose: the service defaults put a standard resilience handler (10 s attempt
        // timeout) and header logging on every factory client; this one has its own pipeline and logs no header.
        var pipeline = ModelEndpointResilience.Create(options, time, loggerFactory.CreateLogger("Orchestrator.Llm.ModelEndpoint"));
        _http = new HttpClient(
            new ResilienceHandler(pipeline)
            {
                InnerHandler = new ModelEndpointAnswerHandler(options.RequestTimeout)
                {
                    InnerHandler = new ModelEndpointCredentialHandler(connection) { InnerHandler = transport },
                },
            })
        {
            Timeout = Timeout.InfiniteTimeSpan, // per attempt, in the resilience pipeline
        };
    }

    public LlmConnection Connection { get; }

    public IChatClient CreateChatClient(string? modelId)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = Connection.ClientEndpointFor(modelId),
            Transport = new HttpClientPipelineTransport(_http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
            ClientLoggingOptions = new ClientLoggingOptions { EnableLogging = false, EnableMessageLogging = false, EnableMessageContentLogging = false },
        };
        var client = new OpenAIClient(Placeholder, options).GetChatClient(Connection.ModelFor(modelId)).AsIChatClient();
        return new EndpointFailureChatClient(client, Connection);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>
/// Turns what the SDK throws for a failed request into a <see cref="ModelEndpointException"/> with a one-line reason
/// that names the status and never the key.
/// </summary>
internal sealed partial class EndpointFailureChatClient(IChatClient inner, LlmConnection connection) : DelegatingChatClient(inner)
{
    private const int MaxDetailLength = 300;

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            ChatResponseUpdate update;
            try
            {
                if (!await updates.MoveNextAsync())
                {
                    yield break;
                }

                update = updates.Current;
            }
            catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
            {
                throw translated;
            }

            yield return update;
        }
    }

    private ModelEndpointException? Translate(Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is ModelEndpointException endpoint)
            {
                return endpoint == exception ? null : endpoint;
            }
        }

        return exception switch
        {
            ClientResultException result when result.GetRawResponse() is { } response => new ModelEndpointException(
                $"the model endpoint refused the request: {response.Status} {ReasonPhrase(response)}{Detail(response)}",
                (HttpStatusCode)response.Status, exception),
            ClientResultException or HttpRequestException or IOException => new ModelEndpointException(
                $"the model endpoint could not be reached: {Redact(exception.Message.Split('\n')[0])}", null, exception),
            _ => null,
        };
    }

    private static string ReasonPhrase(PipelineResponse response) =>
        !string.IsNullOrEmpty(response.ReasonPhrase) ? response.ReasonPhrase : ((HttpStatusCode)response.Status).ToString();

    // The error body's message says what to fix (unknown model, bad schema); keys it quotes are removed.
    private string Detail(PipelineResponse response)
    {
        string? message = null;
        try
        {
            using var body = JsonDocument.Parse(response.Content.ToMemory());
            message = body.RootElement.TryGetProperty("error", out var error)
                ? error.ValueKind == JsonValueKind.String ? error.GetString()
                : error.TryGetProperty("message", out var text) ? text.GetString() : null
                : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not an OpenAI error body: the status says enough.
        }

        if (string.IsNullOrWhiteSpace(message))
        {
            return string.Empty;
        }

        message = Redact(message.ReplaceLineEndings(" ").Trim());
        return ": " + (message.Length > MaxDetailLength ? message[..MaxDetailLength] + "..." : message);
    }

    private string Redact(string text)
    {
        if (connection.Key is { Length: > 0 } key)
        {
            text = text.Replace(key, "***", StringComparison.Ordinal);
        }

        return KeyLike().Replace(text, "sk-***");
    }

    // OpenAI quotes a masked form of a wrong key ("sk-proj-abc***xyz"); even that is not repeated.
    [GeneratedRegex(@"sk-[A-Za-z0-9_\-\*]{4,}")]
    private static partial Regex KeyLike();
}
