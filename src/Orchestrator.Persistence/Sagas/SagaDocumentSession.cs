using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using MassTransit;

namespace Orchestrator.Persistence.Sagas;

/// <summary>
/// One open connection for the duration of one message (or one read). Every write is a single statement guarded
/// by the row's version, so no transaction is held while the state machine runs: that would serialize all
/// messages behind SQLite's single writer and keep the lock across publishes.
/// </summary>
/// <remarks>
/// <see cref="ISagaVersion.Version"/> belongs to the repository: it is set from the row on every load and is the
/// expected version of the next write. A failed check throws <see cref="ConcurrencyException"/>; the endpoint's
/// message retry then runs the whole message again against a fresh read.
/// </remarks>
internal sealed class SagaDocumentSession<TSaga>(SagaDocumentStore<TSaga> store, DbConnection connection) : IAsyncDisposable
    where TSaga : class, ISagaVersion
{
    public async Task<TSaga?> LoadAsync(Guid correlationId, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(store.Dialect.SelectOne);
        AddParameter(command, "@correlation_id", FormatId(correlationId));

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadSaga(reader) : null;
    }

    public Task<IReadOnlyList<TSaga>> LoadAllAsync(CancellationToken cancellationToken) =>
        LoadByStateAsync(SagaStateFilter.All, cancellationToken);

    /// <summary>The instances whose state passes <paramref name="filter"/>; the filter runs in SQL, on the state index.</summary>
    public async Task<IReadOnlyList<TSaga>> LoadByStateAsync(SagaStateFilter filter, CancellationToken cancellationToken)
    {
        var inStates = filter.InStates ?? [];
        var notInStates = filter.NotInStates ?? [];
        await using var command = CreateCommand(store.Dialect.SelectByState(inStates.Count, notInStates.Count));
        AddStateParameters(command, "@in_", inStates);
        AddStateParameters(command, "@not_in_", notInStates);

        var sagas = new List<TSaga>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sagas.Add(ReadSaga(reader));
        }

        return sagas;
    }

    /// <summary>How many instances are in each state (rows without a state under the empty string); read from the state index alone.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountByStateAsync(CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(SagaStateSql.CountByState);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var state = reader.IsDBNull(0) ? string.Empty : reader.GetString(0);
            counts[state] = counts.GetValueOrDefault(state) + reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>Inserts a new instance; false (nothing written) when one with the same id already exists.</summary>
    public async Task<bool> TryInsertAsync(TSaga saga, CancellationToken cancellationToken)
    {
        var previousVersion = saga.Version;
        saga.Version = 1;

        await using var command = CreateWriteCommand(store.Dialect.InsertIfMissing, saga);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            return true;
        }

        saga.Version = previousVersion;
        return false;
    }

    /// <summary>Inserts a new instance created by an initial event; a concurrent creator makes this a conflict.</summary>
    public async Task InsertAsync(TSaga saga, CancellationToken cancellationToken)
    {
        if (!await TryInsertAsync(saga, cancellationToken))
        {
            // Two initiating messages raced. Retrying loads the winner's row and applies this message to it.
            throw new ConcurrencyException(
                $"Saga {TypeName} {saga.CorrelationId} was created by another message first.", typeof(TSaga), saga.CorrelationId);
        }
    }

    public async Task UpdateAsync(TSaga saga, CancellationToken cancellationToken)
    {
        var expectedVersion = saga.Version;
        saga.Version = expectedVersion + 1;

        await using var command = CreateWriteCommand(store.Dialect.UpdateIfVersion, saga);
        AddParameter(command, "@expected_version", expectedVersion);

        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            saga.Version = expectedVersion;
            throw new ConcurrencyException(
                $"Saga {TypeName} {saga.CorrelationId} was changed or removed since version {expectedVersion} was read.",
                typeof(TSaga), saga.CorrelationId);
        }
    }

    public async Task DeleteAsync(TSaga saga, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(store.Dialect.DeleteIfVersion);
        AddParameter(command, "@correlation_id", FormatId(saga.CorrelationId));
        AddParameter(command, "@expected_version", saga.Version);

        // Deleting over a newer version would drop the other message's work; retry so it is seen first.
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new ConcurrencyException(
                $"Saga {TypeName} {saga.CorrelationId} was changed or removed since version {saga.Version} was read.",
                typeof(TSaga), saga.CorrelationId);
        }
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    static string TypeName => typeof(TSaga).Name;

    static string FormatId(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    TSaga ReadSaga(DbDataReader reader)
    {
        var correlationId = Guid.Parse(reader.GetString(0));
        var version = checked((int)reader.GetInt64(1));

        TSaga? saga;
        try
        {
            saga = JsonSerializer.Deserialize<TSaga>(reader.GetString(2), store.SerializerOptions);
        }
        catch (JsonException ex)
        {
            throw new SagaException($"Saga {TypeName} {correlationId} could not be read: {ex.Message}", typeof(TSaga), correlationId, ex);
        }

        if (saga is null)
        {
            throw new SagaException($"Saga {TypeName} {correlationId} is stored as null.", typeof(TSaga), correlationId);
        }

        // The key columns win over the document, so a hand-edited or stale JSON cannot move or un-version a row.
        saga.CorrelationId = correlationId;
        saga.Version = version;
        return saga;
    }

    DbCommand CreateCommand(string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        AddParameter(command, "@saga_type", store.SagaTypeName);
        return command;
    }

    DbCommand CreateWriteCommand(string sql, TSaga saga)
    {
        var command = CreateCommand(sql);
        AddParameter(command, "@correlation_id", FormatId(saga.CorrelationId));
        AddParameter(command, "@version", saga.Version);
        AddParameter(command, "@current_state", store.GetCurrentState(saga));
        AddParameter(command, "@updated_at", store.TimeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        AddParameter(command, "@data", JsonSerializer.Serialize(saga, store.SerializerOptions));
        return command;
    }

    static void AddStateParameters(DbCommand command, string prefix, IReadOnlyList<string> states)
    {
        for (var i = 0; i < states.Count; i++)
        {
            AddParameter(command, $"{prefix}{i}", states[i]);
        }
    }

    static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
