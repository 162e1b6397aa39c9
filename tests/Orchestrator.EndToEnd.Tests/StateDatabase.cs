using System.Text;
using Npgsql;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// The end-to-end system's state store: a database of its own on the local PostgreSQL that <c>./test.sh</c> starts
/// (<c>scripts/postgres.sh</c>, reached through <c>ConnectionStrings__postgres</c>), dropped afterwards. The suite runs
/// on PostgreSQL, as several orchestrators would; the demo (<c>./run.sh</c>) keeps the embedded SQLite default.
/// </summary>
public sealed class StateDatabase : IAsyncDisposable
{
    private readonly string _server;
    private readonly string _name = "orchestrator_e2e_" + Guid.NewGuid().ToString("N");

    private StateDatabase(string server)
    {
        _server = server;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = _name }.ConnectionString;
    }

    /// <summary>What the orchestrator gets as <c>ConnectionStrings:state</c>.</summary>
    public string ConnectionString { get; }

    public static async Task<StateDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable("ConnectionStrings__postgres");
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                "ConnectionStrings__postgres is not set: run the tests through ./test.sh, which starts the local PostgreSQL.");
        }

        var database = new StateDatabase(server);
        await database.ExecuteOnServerAsync($"CREATE DATABASE \"{database._name}\";");
        return database;
    }

    /// <summary>Every saga row as text (state, version, document): a place a secret could leak to.</summary>
    public async Task<string> DumpAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT to_regclass('sagas') IS NOT NULL", connection);
        if (await command.ExecuteScalarAsync() is not true)
        {
            return string.Empty;
        }

        command.CommandText = "SELECT saga_type, correlation_id, version, current_state, updated_at, data::text FROM sagas";
        var text = new StringBuilder();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            for (var column = 0; column < reader.FieldCount; column++)
            {
                text.Append(reader.IsDBNull(column) ? string.Empty : reader.GetValue(column).ToString()).Append('\t');
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE);");
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
