using Microsoft.Data.Sqlite;
using Orchestrator.Bench.Orchestration;

namespace Orchestrator.Bench.Tests;

public sealed class DemoStateFileTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"bench-demo-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task Submit_to_pull_request_is_read_from_the_latest_feature_record()
    {
        await CreateAsync(
            ("Failed", "2026-11-30T05:00:00+00:00", "2026-11-30T05:00:10+00:00", "2026-11-30T05:00:10Z"),
            ("Completed", "2026-11-30T06:00:00+00:00", "2026-11-30T06:00:31.5+00:00", "2026-11-30T06:00:31Z"));

        var demo = await DemoScenario.ReadFeatureAsync(_file, "before");

        Assert.NotNull(demo);
        Assert.Equal("Completed", demo.State);
        Assert.Equal(31.5, demo.SubmitToPullRequestSeconds);
        Assert.Equal("before", demo.Label);
    }

    [Fact]
    public async Task A_missing_state_file_has_no_feature()
    {
        Assert.Null(await DemoScenario.ReadFeatureAsync(_file, "before"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    private async Task CreateAsync(params (string State, string Submitted, string Updated, string Row)[] features)
    {
        await using var connection = new SqliteConnection($"Data Source={_file};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE sagas (saga_type TEXT, correlation_id TEXT, version INTEGER, current_state TEXT, updated_at TEXT, data TEXT)";
        await command.ExecuteNonQueryAsync();
        foreach (var (state, submitted, updated, row) in features)
        {
            command.CommandText = "INSERT INTO sagas VALUES ('feature', $id, 1, $state, $row, $data)";
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$id", Guid.NewGuid().ToString());
            command.Parameters.AddWithValue("$state", state);
            command.Parameters.AddWithValue("$row", row);
            command.Parameters.AddWithValue("$data", $"{{\"SubmittedAt\":\"{submitted}\",\"UpdatedAt\":\"{updated}\"}}");
            await command.ExecuteNonQueryAsync();
        }
    }
}
