using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;
using Contracts = Orchestrator.Contracts;

namespace PullRequestNotifier.Tests;

/// <summary>
/// The notifier as it runs (its own host, the RabbitMQ transport) against the real broker of <c>./test.sh</c>
/// (<c>ConnectionStrings__messaging</c>). Safe on a broker others use: its queue has a name of its own, the Orchestrator's
/// messages are sent to that queue alone (publishing them would reach every orchestrator on the virtual host), and the
/// queue and its exchange are deleted afterwards.
/// </summary>
public sealed class RabbitMqNotifierTests
{
    private static readonly Contracts.PullRequestInfo PullRequest =
        new(3, "file:///srv/git/calculator.git/orchestrator/pulls/3.json", "orchestrator/9c1d", "main", "/srv/git/calculator.git", "local");

    [Fact]
    public async Task Subscribes_its_own_queue_to_the_orchestrators_events_and_writes_what_arrives()
    {
        var broker = Environment.GetEnvironmentVariable("ConnectionStrings__messaging");
        Assert.SkipWhen(string.IsNullOrEmpty(broker), "ConnectionStrings__messaging is not set: ./test.sh starts the broker and sets it.");
        var queue = $"pull-request-notifier-test-{Guid.NewGuid():N}";
        using var folder = new TempDirectory();
        using var notifier = Notifier(broker!, queue, folder.Combine("pull-requests.log"));
        var cancellationToken = TestContext.Current.CancellationToken;
        try
        {
            await notifier.StartAsync(cancellationToken).WaitAsync(Eventually.DefaultTimeout, cancellationToken);
            Assert.Contains(queue, await BoundExchangesAsync(new Uri(broker!), "Orchestrator.Contracts:PullRequestOpened"));
            Assert.Contains(queue, await BoundExchangesAsync(new Uri(broker!), "Orchestrator.Contracts:FeatureFailed"));

            var featureId = NewId.NextGuid();
            await SendAsync(new Uri(broker!), queue,
                new Contracts.PullRequestOpened(featureId, PullRequest, new Contracts.VerificationResult(true, "dotnet test", "Passed!")),
                new Contracts.FeatureFailed(NewId.NextGuid(), "Planning did not finish within 00:05:00."));

            var lines = await Eventually.ValueAsync(
                () => File.Exists(folder.Combine("pull-requests.log")) && File.ReadAllLines(folder.Combine("pull-requests.log")) is { Length: 2 } all ? all : null,
                "two lines in the notifier's file");
            Assert.Contains($"{featureId} pull-request #3 {PullRequest.Url} (orchestrator/9c1d -> main; verified: dotnet test passed)", lines);
            Assert.Contains(lines, line => line.EndsWith(" failed Planning did not finish within 00:05:00.", StringComparison.Ordinal));
        }
        finally
        {
            await notifier.StopAsync(CancellationToken.None);
            await DeleteAsync(new Uri(broker!), queue);
        }
    }

    private static IHost Notifier(string broker, string queue, string outputFile)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(
        [
            new("ConnectionStrings:messaging", broker),
            new("Notifier:Queue", queue),
            new("Notifier:OutputFile", outputFile),
        ]);
        builder.AddPullRequestNotifier();
        return builder.Build();
    }

    /// <summary>Sends the Orchestrator's own message types, as its services serialize them, straight to the queue.</summary>
    private static async Task SendAsync(Uri broker, string queue, params object[] messages)
    {
        var sender = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(broker));
        await sender.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var endpoint = await sender.GetSendEndpoint(new Uri($"queue:{queue}"));
            foreach (var message in messages)
            {
                await endpoint.Send(message, TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            await sender.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>The exchanges the given exchange fans out to, from the broker's management API (the user of the connection string).</summary>
    private static async Task<IReadOnlyList<string>> BoundExchangesAsync(Uri broker, string exchange)
    {
        var port = Environment.GetEnvironmentVariable("ORCHESTRATOR_RABBITMQ_MANAGEMENT_PORT") ?? "15672";
        using var management = new HttpClient { BaseAddress = new Uri($"http://{broker.Host}:{port}/api/") };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(broker.UserInfo))));
        var bindings = await management.GetFromJsonAsync<JsonElement>(
            $"exchanges/{Uri.EscapeDataString(VirtualHost(broker))}/{Uri.EscapeDataString(exchange)}/bindings/source", TestContext.Current.CancellationToken);
        return [.. bindings.EnumerateArray().Select(binding => binding.GetProperty("destination").GetString()!)];
    }

    private static async Task DeleteAsync(Uri broker, string queue)
    {
        var user = Uri.UnescapeDataString(broker.UserInfo).Split(':', 2);
        var factory = new ConnectionFactory
        {
            HostName = broker.Host,
            Port = broker.IsDefaultPort ? 5672 : broker.Port,
            UserName = user[0],
            Password = user.Length > 1 ? user[1] : string.Empty,
            VirtualHost = VirtualHost(broker),
        };
        await using var connection = await factory.CreateConnectionAsync(CancellationToken.None);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: CancellationToken.None);
        await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: CancellationToken.None);
        await channel.ExchangeDeleteAsync(queue, ifUnused: false, cancellationToken: CancellationToken.None);
    }

    private static string VirtualHost(Uri broker) => broker.AbsolutePath.Trim('/') is { Length: > 0 } name ? Uri.UnescapeDataString(name) : "/";
}
