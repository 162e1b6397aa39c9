using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Contracts;
using Orchestrator.Features;
using Orchestrator.Persistence;
using Orchestrator.StateMachines;

namespace Orchestrator.Tests.Api;

/// <summary>
/// The transcript routes over HTTP, with the real consumer and store (SQLite) behind them: steps arrive on the bus, a
/// duplicate is kept once, and the log and its live stream serve them.
/// </summary>
public sealed class TranscriptEndpointTests : IAsyncLifetime
{
    private readonly TempDirectory _root = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly FeatureState _feature = new()
    {
        CorrelationId = Guid.NewGuid(),
        CurrentState = "Executing",
        Tasks = [new FeatureTask { TaskId = "implement", State = FeatureTaskState.Running }, new FeatureTask { TaskId = "write-docs" }],
    };

    private ApiHost _api = null!;
    private HttpClient _client = null!;
    private ITestHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiHost.StartAsync(_root.Path, x =>
        {
            x.AddSingleton<ISagaStateReader<FeatureState>>(new OneFeature(_feature));
            x.AddTaskTranscripts();
        });
        _client = _api.Client(ApiHost.FirstKey);
        _harness = _api.Services.GetRequiredService<ITestHarness>();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
        _root.Dispose();
    }

    private TaskStepRecorded Step(int sequence, string task = "implement", int attempt = 1) => new(
        _feature.CorrelationId, task, attempt, sequence, sequence % 2 == 1 ? TaskStepKind.Model : TaskStepKind.Tool,
        sequence % 2 == 1 ? "scripted:demo" : "workspace_read_file", $"step {sequence}", sequence % 2 == 1 ? null : "# Greeter",
        Ok: sequence != 4, TimeSpan.FromMilliseconds(12.7), sequence % 2 == 1 ? 900 : null, sequence % 2 == 1 ? 40 : null,
        new DateTimeOffset(2026, 11, 30, 3, 0, sequence, TimeSpan.Zero));

    private async Task PublishAndStoreAsync(params TaskStepRecorded[] steps)
    {
        var before = _harness.Consumed.Select<TaskStepRecorded>().Count();
        foreach (var step in steps)
        {
            await _harness.Bus.Publish(step, _ct);
        }

        await Eventually.TrueAsync(() => _harness.Consumed.Select<TaskStepRecorded>().Count() >= before + steps.Length, "the steps consumed");
    }

    [Fact]
    public async Task The_log_lists_the_tasks_steps_by_attempt_and_sequence_and_keeps_a_redelivered_step_once()
    {
        await PublishAndStoreAsync(Step(2), Step(1), Step(1), Step(1, attempt: 2), Step(1, task: "write-docs"));

        var log = await _client.GetFromJsonAsync<JsonElement>($"/features/{_feature.CorrelationId}/tasks/implement/log", _ct);

        Assert.Equal(_feature.CorrelationId, log.GetProperty("featureId").GetGuid());
        Assert.Equal("implement", log.GetProperty("taskId").GetString());
        var entries = log.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["1/1", "1/2", "2/1"], entries.Select(e => $"{e.GetProperty("attempt")}/{e.GetProperty("sequence")}"));
        var model = entries[0];
        Assert.Equal("model", model.GetProperty("kind").GetString());
        Assert.Equal("scripted:demo", model.GetProperty("name").GetString());
        Assert.Equal(900, model.GetProperty("inputTokens").GetInt64());
        Assert.Equal(40, model.GetProperty("outputTokens").GetInt64());
        Assert.Equal(JsonValueKind.Null, model.GetProperty("result").ValueKind);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 3, 0, 1, TimeSpan.Zero), model.GetProperty("at").GetDateTimeOffset());
        var tool = entries[1];
        Assert.Equal(("tool", "workspace_read_file", "step 2", "# Greeter"),
            (tool.GetProperty("kind").GetString(), tool.GetProperty("name").GetString(), tool.GetProperty("summary").GetString(), tool.GetProperty("result").GetString()));
        Assert.True(tool.GetProperty("ok").GetBoolean());
        Assert.Equal(12, tool.GetProperty("durationMs").GetInt64());
        Assert.Equal(JsonValueKind.Null, tool.GetProperty("inputTokens").ValueKind);
    }

    [Theory]
    [InlineData("log")]
    [InlineData("log/events")]
    public async Task An_unknown_task_is_a_404_problem(string route)
    {
        var response = await _client.GetAsync($"/features/{_feature.CorrelationId}/tasks/no-such-task/{route}", _ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Task not found", (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task An_unknown_feature_is_a_404_problem_and_the_log_needs_a_key()
    {
        var unknown = await _client.GetAsync($"/features/{Guid.NewGuid()}/tasks/implement/log", _ct);
        using var anonymous = _api.Client(null);
        var withoutKey = await anonymous.GetAsync($"/features/{_feature.CorrelationId}/tasks/implement/log", _ct);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("Feature not found", (await unknown.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
    }

    [Fact]
    public async Task The_live_log_sends_the_stored_steps_then_new_ones_and_ends_when_the_task_has_ended()
    {
        await PublishAndStoreAsync(Step(1));
        using var response = await _client.GetAsync(
            $"/features/{_feature.CorrelationId}/tasks/implement/log/events", HttpCompletionOption.ResponseHeadersRead, _ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_ct));

        var first = await NextEntryAsync(reader);
        await PublishAndStoreAsync(Step(2));
        var second = await NextEntryAsync(reader);
        _feature.Tasks[0].State = FeatureTaskState.Completed;
        var rest = await reader.ReadToEndAsync(_ct);

        Assert.Equal(1, first.GetProperty("sequence").GetInt32());
        Assert.Equal(2, second.GetProperty("sequence").GetInt32());
        Assert.DoesNotContain("event: entry", rest, StringComparison.Ordinal);
    }

    private async Task<JsonElement> NextEntryAsync(StreamReader reader)
    {
        string? eventType = null;
        while (await reader.ReadLineAsync(_ct) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventType = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                Assert.Equal("entry", eventType);
                return JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
            }
        }

        throw new InvalidOperationException("the stream ended before the next entry");
    }

    private sealed class OneFeature(FeatureState feature) : ISagaStateReader<FeatureState>
    {
        public Task<FeatureState?> FindAsync(Guid correlationId, CancellationToken cancellationToken) =>
            Task.FromResult(correlationId == feature.CorrelationId ? feature : null);

        public Task<IReadOnlyList<FeatureState>> ListAsync(SagaStateFilter filter, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<FeatureState>>([feature]);

        public Task<IReadOnlyDictionary<string, long>> CountByStateAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, long>>(new Dictionary<string, long> { [feature.CurrentState] = 1 });
    }
}
