using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests.Faults;

/// <summary>
/// The queues of the connection string's virtual host as the broker's management API reports them (RabbitMQ's own
/// view, not the services'): what is left in each, and what the <c>_error</c> queues hold.
/// </summary>
public sealed class BrokerQueues : IDisposable
{
    private readonly HttpClient _management;

    // The management API names a virtual host in its paths, escaped ("/" is %2F).
    private readonly string _virtualHost;

    public BrokerQueues(string amqpConnectionString)
    {
        var broker = new Uri(amqpConnectionString);
        var credentials = broker.UserInfo.Split(':', 2).Select(Uri.UnescapeDataString).ToArray();
        _virtualHost = Uri.EscapeDataString(Firehose.VirtualHostOf(amqpConnectionString));
        // scripts/rabbitmq.sh enables the management plugin on its default port and tags the user "management".
        _management = new HttpClient { BaseAddress = new Uri($"http://{broker.Host}:15672/") };
        _management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials[0]}:{credentials[1]}")));
    }

    /// <summary>Messages (ready and unacknowledged) by queue.</summary>
    public async Task<IReadOnlyDictionary<string, long>> DepthsAsync(CancellationToken ct)
    {
        using var queues = JsonDocument.Parse(await _management.GetStringAsync($"api/queues/{_virtualHost}?columns=name,messages", ct));
        return queues.RootElement.EnumerateArray().ToDictionary(
            queue => queue.GetProperty("name").GetString()!,
            queue => queue.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Number ? messages.GetInt64() : 0);
    }

    /// <summary>
    /// The after-check of every scenario: once the broker's figures have settled, no queue but the <c>_error</c> ones
    /// holds a message. Returns what the scenario added to each <c>_error</c> queue (counted in the report), and lists
    /// what those queues hold in the test's output. A scenario that sends <paramref name="expectedErrors"/> messages to
    /// <c>_error</c> on purpose waits until they show.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> AssertSettledAsync(
        IReadOnlyDictionary<string, long> before, CancellationToken ct, long expectedErrors = 0)
    {
        // The management API's figures lag the queues by a few seconds; a message still moving is not a lost one.
        IReadOnlyDictionary<string, long> depths = new Dictionary<string, long>();
        Dictionary<string, long> Added() => depths.Where(queue => IsError(queue.Key) && queue.Value > before.GetValueOrDefault(queue.Key))
            .ToDictionary(queue => queue.Key, queue => queue.Value - before.GetValueOrDefault(queue.Key));
        await Eventually.TrueAsync(async () =>
        {
            depths = await DepthsAsync(ct);
            return Undelivered(depths).Count == 0 && Added().Values.Sum() >= expectedErrors;
        }, TimeSpan.FromSeconds(60));
        Assert.True(Undelivered(depths).Count == 0, "messages left undelivered: " + string.Join(", ", Undelivered(depths)));

        var added = Added();
        FaultReport.AddErrorMessages(added.Values.Sum());
        foreach (var message in await ErrorMessagesAsync(added, ct))
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"in _error: {message}");
        }

        return added;
    }

    /// <summary>Queues other than <c>_error</c> that still hold messages.</summary>
    public static IReadOnlyList<string> Undelivered(IReadOnlyDictionary<string, long> depths) =>
        depths.Where(queue => !IsError(queue.Key) && queue.Value > 0).Select(queue => $"{queue.Key}: {queue.Value}").ToList();

    /// <summary>
    /// The messages <paramref name="added"/> counts, each with its fault: the newest of each <c>_error</c> queue
    /// (a queue is read from its oldest; what it held before stays at the front), peeked and put back.
    /// </summary>
    public async Task<IReadOnlyList<string>> ErrorMessagesAsync(IReadOnlyDictionary<string, long> added, CancellationToken ct)
    {
        var found = new List<string>();
        foreach (var (queue, count) in added.Where(queue => queue.Value > 0))
        {
            using var request = new StringContent(
                """{"count":1000,"ackmode":"ack_requeue_true","encoding":"auto","truncate":2000}""", Encoding.UTF8, "application/json");
            using var response = await _management.PostAsync($"api/queues/{_virtualHost}/{Uri.EscapeDataString(queue)}/get", request, ct);
            using var messages = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            found.AddRange(messages.RootElement.EnumerateArray().TakeLast((int)count).Select(message => $"{queue}: {Describe(message)}"));
        }

        return found;
    }

    private static string Describe(JsonElement message)
    {
        var headers = message.GetProperty("properties").TryGetProperty("headers", out var h) ? h : default;
        string Header(string name) =>
            headers.ValueKind == JsonValueKind.Object && headers.TryGetProperty(name, out var value) ? value.ToString() : "?";
        return $"{Header("MT-Fault-ExceptionType")}: {Header("MT-Fault-Message")}";
    }

    private static bool IsError(string queue) => queue.EndsWith("_error", StringComparison.Ordinal);

    public void Dispose() => _management.Dispose();
}
