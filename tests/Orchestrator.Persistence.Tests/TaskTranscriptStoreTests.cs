using Orchestrator.Persistence.Transcripts;

namespace Orchestrator.Persistence.Tests;

/// <summary>The transcript table, the same contract for SQLite and PostgreSQL.</summary>
public abstract class TaskTranscriptStoreContract : IAsyncLifetime
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private TestStore _database = null!;
    private TaskTranscriptStore _store = null!;

    protected abstract TestStore CreateStore();

    public ValueTask InitializeAsync()
    {
        _database = CreateStore();
        _store = TaskTranscriptStore.Create(_database.ConnectionString);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static TranscriptEntry Step(Guid feature, string task, int attempt, int sequence, string kind = "tool") => new(
        feature, task, attempt, sequence, new DateTimeOffset(2026, 11, 30, 2, 30, sequence, TimeSpan.Zero), kind,
        kind == "model" ? "scripted:demo" : "workspace_read_file", $"step {sequence}", kind == "model" ? null : "# Greeter",
        sequence % 2 == 1, 40L + sequence, kind == "model" ? 1_200 : null, kind == "model" ? 35 : null);

    [Fact]
    public async Task A_step_delivered_twice_is_stored_once_and_every_field_reads_back()
    {
        var feature = Guid.NewGuid();
        var model = Step(feature, "implement", 1, 1, "model");

        Assert.True(await _store.AppendAsync(model, _ct));
        Assert.False(await _store.AppendAsync(model with { Summary = "a duplicate" }, _ct));

        var stored = Assert.Single(await _store.ReadAsync(feature, "implement", _ct));
        Assert.Equal(model, stored);
        var tool = Step(feature, "implement", 1, 2);
        Assert.True(await _store.AppendAsync(tool, _ct));
        Assert.Equal(tool, (await _store.ReadAsync(feature, "implement", _ct))[1]);
    }

    [Fact]
    public async Task Steps_read_back_by_task_attempt_and_sequence_and_only_the_features_own()
    {
        var feature = Guid.NewGuid();
        await _store.AppendAsync(Step(feature, "write-tests", 1, 1), _ct);
        await _store.AppendAsync(Step(feature, "implement", 2, 1), _ct);
        await _store.AppendAsync(Step(feature, "implement", 1, 2), _ct);
        await _store.AppendAsync(Step(feature, "implement", 1, 1), _ct);
        await _store.AppendAsync(Step(Guid.NewGuid(), "implement", 1, 3), _ct);

        var all = await _store.ReadAsync(feature, taskId: null, _ct);
        Assert.Equal(
            ["implement 1/1", "implement 1/2", "implement 2/1", "write-tests 1/1"],
            all.Select(s => $"{s.TaskId} {s.Attempt}/{s.Sequence}"));
        Assert.Equal(3, (await _store.ReadAsync(feature, "implement", _ct)).Count);
        Assert.Empty(await _store.ReadAsync(feature, "docs", _ct));
    }

    [Fact]
    public async Task A_second_store_on_the_same_database_sees_the_steps_of_the_first()
    {
        var feature = Guid.NewGuid();
        await _store.AppendAsync(Step(feature, "implement", 1, 1), _ct);

        await using var restarted = TaskTranscriptStore.Create(_database.ConnectionString);
        Assert.False(await restarted.AppendAsync(Step(feature, "implement", 1, 1), _ct));
        Assert.Single(await restarted.ReadAsync(feature, "implement", _ct));
    }
}

public sealed class SqliteTaskTranscriptStoreTests : TaskTranscriptStoreContract
{
    protected override TestStore CreateStore() => new SqliteTestStore();
}

public sealed class PostgresTaskTranscriptStoreTests : TaskTranscriptStoreContract
{
    protected override TestStore CreateStore() => new PostgresTestStore();
}
