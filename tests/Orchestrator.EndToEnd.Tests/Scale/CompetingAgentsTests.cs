using System.Text.Json;
using RabbitMQ.Client;

namespace Orchestrator.EndToEnd.Tests.Scale;

/// <summary>
/// Instances of one agent role compete on its queue (issue 11): with a second coder started beside the AppHost's, a plan
/// of four independent coder tasks is shared out between the two — each takes work, and the feature still ends in one
/// pull request holding all four. (Several tasks at once in one instance, <c>Agents:Concurrency</c>, is
/// AgentConcurrencySpecs.)
/// </summary>
[Collection(OrchestratorCollection.Name)]
public sealed class CompetingAgentsTests(OrchestratorApp app)
{
    /// <summary>The model script the stand-in plays for this feature (Scale/four-coders.json).</summary>
    public const string Script = "four-coders";

    private static readonly TimeSpan FeatureTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Two_coder_instances_share_out_four_coder_tasks_and_the_feature_ends_in_one_pull_request()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var secondCoder = await app.StartAnotherInstanceAsync("coder", Path.Combine(app.Root, "second-coder"));
        await WaitForConsumersAsync("coder", 2, secondCoder);

        var repository = TargetRepository.Create(app.Root, "parts", new Dictionary<string, string>
        {
            ["README.md"] = "# Parts\n",
            [".orchestrator.json"] = """{"build": ["true"], "test": ["test", "-d", "parts"]}""",
        });
        var response = await app.Api.PostAsJsonAsync("/features", new { repository, request = $"Write four parts {ScriptedStandIn.Selecting(Script)}" }, ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(ct));
        var feature = await app.WaitForEndAsync(response.Headers.Location!.ToString(), FeatureTimeout);

        Assert.True(feature.GetProperty("state").GetString() == "Completed", $"the feature did not complete: {feature}");
        var tasks = feature.GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal(4, tasks.Count);
        Assert.All(tasks, task => Assert.Equal(1, task.GetProperty("attempts").GetInt32()));
        // An instance is named role@host/pid: the second instance took work, and so did one other (the AppHost's coder,
        // the only other one; Aspire reports the pid of the process that launched it, not its own).
        var instances = tasks.Select(task => task.GetProperty("instance").GetString()!).ToList();
        var pids = instances.Select(instance => int.Parse(instance[(instance.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        Assert.True(pids.Count == 2 && pids.Contains(secondCoder.ProcessId),
            $"the tasks ran on {string.Join(", ", instances)}; the second coder is {secondCoder.ProcessId}");

        var head = feature.GetProperty("pullRequest").GetProperty("head").GetString()!;
        Assert.Equal(["README.md", "parts/part-1.txt", "parts/part-2.txt", "parts/part-3.txt", "parts/part-4.txt"],
            TargetRepository.Files(repository, head).Where(f => f != ".orchestrator.json").Order(StringComparer.Ordinal));
        Assert.Single(TargetRepository.PullRequests(repository));
    }

    // Consumers attached to the role's queue, as the broker counts them: both instances are ready to take work.
    private static async Task WaitForConsumersAsync(string queue, uint expected, ServiceInstance starting)
    {
        var ct = TestContext.Current.CancellationToken;
        var factory = new ConnectionFactory { Uri = new Uri(Environment.GetEnvironmentVariable("ConnectionStrings__messaging")!) };
        await using var connection = await factory.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        var ready = await Eventually.TrueAsync(
            async () => starting.HasExited || (await channel.QueueDeclarePassiveAsync(queue, ct)).ConsumerCount >= expected, TimeSpan.FromMinutes(2));
        Assert.False(starting.HasExited, $"the second instance exited: {starting.Output}");
        Assert.True(ready, $"the second instance did not start consuming '{queue}': {starting.Output}");
    }
}
