using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Persistence.Sagas;

/// <summary>The saga document table in a SQLite file.</summary>
internal sealed class SqliteSagaDialect : ISagaSqlDialect
{
    readonly string _connectionString;
    readonly string _dataSource;
    readonly int _busyTimeoutMilliseconds;

    public SqliteSagaDialect(string connectionString, TimeSpan busyTimeout)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            // Every message opens and closes a connection; the pool keeps that cheap.
            Pooling = true,
            // Microsoft.Data.Sqlite retries SQLITE_BUSY itself until the command timeout, so both waits agree.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        };

        _connectionString = builder.ConnectionString;
        _dataSource = builder.DataSource;
        _busyTimeoutMilliseconds = (int)Math.Min(int.MaxValue, busyTimeout.TotalMilliseconds);
    }

    public string SelectOne =>
        "SELECT correlation_id, version, data FROM sagas WHERE saga_type = @saga_type AND correlation_id = @correlation_id;";

    public string SelectByState(int inCount, int notInCount) =>
        SagaStateSql.SelectByState("SELECT correlation_id, version, data FROM sagas WHERE saga_type = @saga_type", inCount, notInCount);

    public string InsertIfMissing =>
        """
        INSERT INTO sagas (saga_type, correlation_id, version, current_state, updated_at, data)
        VALUES (@saga_type, @correlation_id, @version, @current_state, @updated_at, @data)
        ON CONFLICT (saga_type, correlation_id) DO NOTHING;
        """;

    public string UpdateIfVersion =>
        """
        UPDATE sagas
        SET version = @version, current_state = @current_state, updated_at = @updated_at, data = @data
        WHERE saga_type = @saga_type AND correlation_id = @correlation_id AND version = @expected_version;
        """;

    public string DeleteIfVersion =>
        "DELETE FROM sagas WHERE saga_type = @saga_type AND correlation_id = @correlation_id AND version = @expected_version;";

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        // SQLite creates the file but not its folder; a fresh machine or volume has neither.
        if (!_dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(_dataSource));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();

        // WAL lets readers (the HTTP API, the monitor) run while a message is being written, and it is a property
        // of the file, so setting it once here covers every later connection.
        command.CommandText =
            """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS sagas (
                saga_type      TEXT    NOT NULL,
                correlation_id TEXT    NOT NULL,
                version        INTEGER NOT NULL,
                current_state  TEXT    NULL,
                updated_at     TEXT    NOT NULL,
                data           TEXT    NOT NULL,
                PRIMARY KEY (saga_type, correlation_id)
            );
            CREATE INDEX IF NOT EXISTS ix_sagas_state ON sagas (saga_type, current_state);
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);

            // busy_timeout is per connection: without it a second writer fails at once with "database is locked".
            await using var command = connection.CreateCommand();
            command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds};");
            await command.ExecuteNonQueryAsync(cancellationToken);

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
