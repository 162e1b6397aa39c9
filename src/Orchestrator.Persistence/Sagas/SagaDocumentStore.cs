using System.Reflection;
using System.Text.Json;
using MassTransit;

namespace Orchestrator.Persistence.Sagas;

/// <summary>
/// Singleton per saga type: the table's dialect, how instances become JSON, and the one-time schema setup.
/// Hands out a <see cref="SagaDocumentSession{TSaga}"/> (one open connection) per message or read.
/// </summary>
internal sealed class SagaDocumentStore<TSaga>
    where TSaga : class, ISagaVersion
{
    // Read once per saga type: the column exists for people and queries, the JSON stays the source of truth.
    static readonly Func<TSaga, string?>? CurrentStateGetter = CreateCurrentStateGetter();

    readonly SemaphoreSlim _initializeLock = new(1, 1);
    volatile bool _initialized;

    public SagaDocumentStore(ISagaSqlDialect dialect, JsonSerializerOptions serializerOptions, string sagaTypeName, TimeProvider timeProvider)
    {
        Dialect = dialect;
        SerializerOptions = serializerOptions;
        SagaTypeName = sagaTypeName;
        TimeProvider = timeProvider;
    }

    public ISagaSqlDialect Dialect { get; }

    public JsonSerializerOptions SerializerOptions { get; }

    public string SagaTypeName { get; }

    public TimeProvider TimeProvider { get; }

    public static SagaDocumentStore<TSaga> CreateSqlite(SqliteSagaRepositoryOptions options, TimeProvider timeProvider) =>
        Create(new SqliteSagaDialect(options.ConnectionString, options.BusyTimeout), options, timeProvider);

    public static SagaDocumentStore<TSaga> CreatePostgres(PostgresSagaRepositoryOptions options, TimeProvider timeProvider) =>
        Create(new PostgresSagaDialect(Npgsql.NpgsqlDataSource.Create(options.ConnectionString)), options, timeProvider);

    private static SagaDocumentStore<TSaga> Create(ISagaSqlDialect dialect, SagaRepositoryOptions options, TimeProvider timeProvider) =>
        new(
            dialect,
            options.SerializerOptions ?? SagaRepositoryOptions.CreateDefaultSerializerOptions(),
            options.SagaTypeName ?? typeof(TSaga).FullName ?? typeof(TSaga).Name,
            timeProvider);

    public async Task<SagaDocumentSession<TSaga>> OpenSessionAsync(CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken);
        var connection = await Dialect.OpenAsync(cancellationToken);
        return new SagaDocumentSession<TSaga>(this, connection);
    }

    public string? GetCurrentState(TSaga saga) => CurrentStateGetter?.Invoke(saga);

    async ValueTask EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _initializeLock.WaitAsync(cancellationToken);
        try
        {
            // Not marked on failure, so a database that was unreachable at first is set up by a later message.
            if (!_initialized)
            {
                await Dialect.InitializeAsync(cancellationToken);
                _initialized = true;
            }
        }
        finally
        {
            _initializeLock.Release();
        }
    }

    static Func<TSaga, string?>? CreateCurrentStateGetter()
    {
        var property = typeof(TSaga).GetProperty("CurrentState", BindingFlags.Public | BindingFlags.Instance);
        if (property is null || property.PropertyType != typeof(string) || property.GetMethod is null)
        {
            return null;
        }

        return property.GetMethod.CreateDelegate<Func<TSaga, string?>>();
    }
}
