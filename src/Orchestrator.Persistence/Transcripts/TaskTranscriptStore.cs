using System.Data.Common;
using System.Globalization;
using Npgsql;
using Orchestrator.Persistence.Sagas;

namespace Orchestrator.Persistence.Transcripts;

/// <summary>
/// The task transcripts, in a table of their own (<c>task_steps</c>) in the saga's database: a SQLite file, or PostgreSQL
/// for several orchestrators. Connections come from the saga store's dialect, so both get the same settings (WAL and
/// the busy timeout in SQLite, one data source in PostgreSQL).
/// </summary>
public sealed class TaskTranscriptStore : IAsyncDisposable
{
    private const string Columns =
        "feature_id, task_id, attempt, sequence, recorded_at, kind, name, summary, result, ok, duration_ms, input_tokens, output_tokens";

    private readonly ISagaSqlDialect _connections;
    private readonly string _createTable;
    private readonly NpgsqlDataSource? _dataSource;
    private readonly SemaphoreSlim _initializeLock = new(1, 1);
    private volatile bool _initialized;

    private TaskTranscriptStore(ISagaSqlDialect connections, string createTable, NpgsqlDataSource? dataSource)
    {
        _connections = connections;
        _createTable = createTable;
        _dataSource = dataSource;
    }

    /// <summary>The store the connection string names: PostgreSQL for <c>Host=…</c>, otherwise a SQLite file (<c>Data Source=…</c>).</summary>
    public static TaskTranscriptStore Create(string connectionString)
    {
        if (PostgresSagaRepositoryOptions.IsPostgres(connectionString))
        {
            var dataSource = NpgsqlDataSource.Create(connectionString);
            return new TaskTranscriptStore(new PostgresSagaDialect(dataSource), CreateTable("BIGINT", "BOOLEAN"), dataSource);
        }

        var sqlite = new SqliteSagaRepositoryOptions { ConnectionString = connectionString };
        return new TaskTranscriptStore(new SqliteSagaDialect(connectionString, sqlite.BusyTimeout), CreateTable("INTEGER", "INTEGER"), null);
    }

    /// <summary>Stores the step unless a step with its identity is stored already; true when this call stored it.</summary>
    public async Task<bool> AppendAsync(TranscriptEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"""
            INSERT INTO task_steps ({Columns})
            VALUES (@feature_id, @task_id, @attempt, @sequence, @recorded_at, @kind, @name, @summary, @result, @ok, @duration_ms, @input_tokens, @output_tokens)
            ON CONFLICT (feature_id, task_id, attempt, sequence) DO NOTHING;
            """;
        Add(command, "feature_id", entry.FeatureId.ToString("D"));
        Add(command, "task_id", entry.TaskId);
        Add(command, "attempt", entry.Attempt);
        Add(command, "sequence", entry.Sequence);
        Add(command, "recorded_at", entry.At.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        Add(command, "kind", entry.Kind);
        Add(command, "name", entry.Name);
        Add(command, "summary", entry.Summary);
        Add(command, "result", entry.Result);
        Add(command, "ok", entry.Ok);
        Add(command, "duration_ms", entry.DurationMs);
        Add(command, "input_tokens", entry.InputTokens);
        Add(command, "output_tokens", entry.OutputTokens);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>A feature's steps — one task's, when <paramref name="taskId"/> is given — by task, attempt and sequence.</summary>
    public async Task<IReadOnlyList<TranscriptEntry>> ReadAsync(Guid featureId, string? taskId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {Columns} FROM task_steps WHERE feature_id = @feature_id" +
            (taskId is null ? "" : " AND task_id = @task_id") +
            " ORDER BY task_id, attempt, sequence;";
        Add(command, "feature_id", featureId.ToString("D"));
        if (taskId is not null)
        {
            Add(command, "task_id", taskId);
        }

        var entries = new List<TranscriptEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new TranscriptEntry(
                Guid.Parse(reader.GetString(0)), reader.GetString(1), Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture),
                Convert.ToInt32(reader.GetValue(3), CultureInfo.InvariantCulture),
                DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                Convert.ToBoolean(reader.GetValue(9), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(10), CultureInfo.InvariantCulture),
                NullableLong(reader, 11), NullableLong(reader, 12)));
        }

        return entries;
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        _initializeLock.Dispose();
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_initialized)
        {
            await _initializeLock.WaitAsync(cancellationToken);
            try
            {
                // Not marked on failure, so a database that was unreachable at first is set up by a later call.
                if (!_initialized)
                {
                    await _connections.InitializeAsync(cancellationToken);
                    await using var connection = await _connections.OpenAsync(cancellationToken);
                    await using var command = connection.CreateCommand();
                    command.CommandText = _createTable;
                    await command.ExecuteNonQueryAsync(cancellationToken);
                    _initialized = true;
                }
            }
            finally
            {
                _initializeLock.Release();
            }
        }

        return await _connections.OpenAsync(cancellationToken);
    }

    // The saga table's set-up (the folder, WAL, PostgreSQL's schema lock) runs first; this table only adds itself.
    private static string CreateTable(string integer, string boolean) =>
        $"""
        CREATE TABLE IF NOT EXISTS task_steps (
            feature_id    TEXT      NOT NULL,
            task_id       TEXT      NOT NULL,
            attempt       {integer} NOT NULL,
            sequence      {integer} NOT NULL,
            recorded_at   TEXT      NOT NULL,
            kind          TEXT      NOT NULL,
            name          TEXT      NOT NULL,
            summary       TEXT      NOT NULL,
            result        TEXT      NULL,
            ok            {boolean} NOT NULL,
            duration_ms   {integer} NOT NULL,
            input_tokens  {integer} NULL,
            output_tokens {integer} NULL,
            PRIMARY KEY (feature_id, task_id, attempt, sequence)
        );
        """;

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private static long? NullableLong(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
}
