using System.Data.Common;
using Npgsql;

namespace Orchestrator.Persistence.Sagas;

/// <summary>
/// The saga document table in PostgreSQL, for several orchestrator instances on one state store. The documents are
/// <c>jsonb</c>; the version check in every write keeps concurrent instances from losing each other's updates.
/// </summary>
internal sealed class PostgresSagaDialect(NpgsqlDataSource dataSource) : ISagaSqlDialect
{
    // Any fixed number: instances starting together take turns creating the table instead of colliding.
    private const long SchemaLockKey = 0x4F5243_5341_4741;

    public string SelectOne =>
        "SELECT correlation_id, version, data::text FROM sagas WHERE saga_type = @saga_type AND correlation_id = @correlation_id;";

    public string InsertIfMissing =>
        """
        INSERT INTO sagas (saga_type, correlation_id, version, current_state, updated_at, data)
        VALUES (@saga_type, @correlation_id, @version, @current_state, @updated_at, CAST(@data AS jsonb))
        ON CONFLICT (saga_type, correlation_id) DO NOTHING;
        """;

    public string UpdateIfVersion =>
        """
        UPDATE sagas
        SET version = @version, current_state = @current_state, updated_at = @updated_at, data = CAST(@data AS jsonb)
        WHERE saga_type = @saga_type AND correlation_id = @correlation_id AND version = @expected_version;
        """;

    public string DeleteIfVersion =>
        "DELETE FROM sagas WHERE saga_type = @saga_type AND correlation_id = @correlation_id AND version = @expected_version;";

    public string SelectByState(int inCount, int notInCount) =>
        SagaStateSql.SelectByState("SELECT correlation_id, version, data::text FROM sagas WHERE saga_type = @saga_type", inCount, notInCount);

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            $"""
            SELECT pg_advisory_xact_lock({SchemaLockKey});
            CREATE TABLE IF NOT EXISTS sagas (
                saga_type      TEXT   NOT NULL,
                correlation_id TEXT   NOT NULL,
                version        BIGINT NOT NULL,
                current_state  TEXT   NULL,
                updated_at     TEXT   NOT NULL,
                data           JSONB  NOT NULL,
                PRIMARY KEY (saga_type, correlation_id)
            );
            CREATE INDEX IF NOT EXISTS ix_sagas_state ON sagas (saga_type, current_state);
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken);
}
