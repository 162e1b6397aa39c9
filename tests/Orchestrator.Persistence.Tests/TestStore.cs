using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Orchestrator.Persistence.Tests;

/// <summary>A fresh, empty state store for one test class, and a raw look at its rows.</summary>
public abstract class TestStore : IAsyncDisposable
{
    public abstract string ConnectionString { get; }

    protected abstract DbConnection OpenRaw();

    public async Task<(string? State, long Version)?> RowAsync(Guid id)
    {
        await using var connection = OpenRaw();
        await connection.OpenAsync();
        await using var command = Command(connection, "SELECT current_state, version FROM sagas WHERE correlation_id = @id;", id);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.IsDBNull(0) ? null : reader.GetString(0), Convert.ToInt64(reader.GetValue(1))) : null;
    }

    public async Task<long> CountAsync()
    {
        await using var connection = OpenRaw();
        await connection.OpenAsync();
        await using var command = Command(connection, "SELECT COUNT(*) FROM sagas;", null);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>Replaces a row's document with something that is not a saga, as a broken write or a hand edit would.</summary>
    public async Task CorruptAsync(Guid id)
    {
        await using var connection = OpenRaw();
        await connection.OpenAsync();
        await using var command = Command(connection, CorruptSql, id);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    protected abstract string CorruptSql { get; }

    public abstract ValueTask DisposeAsync();

    private static DbCommand Command(DbConnection connection, string sql, Guid? id)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        if (id is { } value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@id";
            parameter.Value = value.ToString("D");
            command.Parameters.Add(parameter);
        }

        return command;
    }
}

/// <summary>A SQLite file in a fresh folder that does not exist yet (so folder creation is exercised too).</summary>
public sealed class SqliteTestStore : TestStore
{
    private readonly TempDatabase _database = new();

    public override string ConnectionString => _database.ConnectionString;

    protected override string CorruptSql => "UPDATE sagas SET data = 'not json' WHERE correlation_id = @id;";

    protected override DbConnection OpenRaw() => new SqliteConnection($"Data Source={_database.FilePath};Pooling=False");

    public override ValueTask DisposeAsync()
    {
        _database.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A database of its own on the local PostgreSQL that <c>./test.sh</c> starts (<c>scripts/postgres.sh</c>), reached
/// through <c>ConnectionStrings__postgres</c>; dropped afterwards.
/// </summary>
public sealed class PostgresTestStore : TestStore
{
    private readonly string _admin;
    private readonly string _name = "orchestrator_test_" + Guid.NewGuid().ToString("N");

    public PostgresTestStore()
    {
        _admin = Environment.GetEnvironmentVariable("ConnectionStrings__postgres") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "ConnectionStrings__postgres is not set: run the tests through ./test.sh, which starts the local PostgreSQL.");
        using var connection = new NpgsqlConnection(_admin);
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE \"{_name}\";", connection);
        command.ExecuteNonQuery();
        ConnectionString = new NpgsqlConnectionStringBuilder(_admin) { Database = _name }.ConnectionString;
    }

    public override string ConnectionString { get; }

    protected override string CorruptSql => "UPDATE sagas SET data = '\"not a saga\"'::jsonb WHERE correlation_id = @id;";

    protected override DbConnection OpenRaw() => new NpgsqlConnection(ConnectionString);

    public override async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE);", connection);
        await command.ExecuteNonQueryAsync();
    }
}
