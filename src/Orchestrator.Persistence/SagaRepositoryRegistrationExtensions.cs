using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orchestrator.Persistence.Sagas;

namespace Orchestrator.Persistence;

/// <summary>Selects a saga document repository (SQLite or PostgreSQL) for a saga, the way <c>InMemoryRepository()</c> or <c>RedisRepository()</c> do.</summary>
public static class SagaRepositoryRegistrationExtensions
{
    /// <summary>
    /// Stores the saga's instances as JSON documents in a SQLite file, with optimistic concurrency on
    /// <see cref="ISagaVersion.Version"/>. Also registers <see cref="ISagaStateReader{TSaga}"/> (and MassTransit's
    /// <see cref="ILoadSagaRepository{TSaga}"/> and <see cref="IQuerySagaRepository{TSaga}"/>) for reading instances
    /// outside of messages.
    /// </summary>
    /// <param name="connectionString">e.g. <c>Data Source=/var/lib/orchestrator/state.db</c>; the folder is created if missing.</param>
    /// <remarks>
    /// Concurrent messages for one instance end in <see cref="ConcurrencyException"/> for all but one; configure
    /// <c>UseMessageRetry</c> (and <c>UseInMemoryOutbox</c>, so a retried attempt's messages are not sent twice)
    /// on the saga's endpoint.
    /// </remarks>
    public static ISagaRegistrationConfigurator<TSaga> SqliteRepository<TSaga>(
        this ISagaRegistrationConfigurator<TSaga> configurator,
        string connectionString)
        where TSaga : class, ISagaVersion =>
        configurator.SqliteRepository(options => options.ConnectionString = connectionString);

    /// <inheritdoc cref="SqliteRepository{TSaga}(ISagaRegistrationConfigurator{TSaga}, string)"/>
    /// <param name="configurator">The saga registration.</param>
    /// <param name="configure">Sets the connection string and, optionally, serializer options and timeouts.</param>
    public static ISagaRegistrationConfigurator<TSaga> SqliteRepository<TSaga>(
        this ISagaRegistrationConfigurator<TSaga> configurator,
        Action<SqliteSagaRepositoryOptions> configure)
        where TSaga : class, ISagaVersion
    {
        ArgumentNullException.ThrowIfNull(configurator);
        ArgumentNullException.ThrowIfNull(configure);

        var options = new SqliteSagaRepositoryOptions();
        configure(options);

        // Fail at startup, not on the first message.
        var validated = options.Validated();
        return configurator.DocumentRepository(provider =>
            SagaDocumentStore<TSaga>.CreateSqlite(validated, provider.GetService<TimeProvider>() ?? TimeProvider.System));
    }

    /// <summary>
    /// Stores the saga's instances as JSON documents in PostgreSQL (<c>jsonb</c>), with optimistic concurrency on
    /// <see cref="ISagaVersion.Version"/>: several orchestrator instances can share one store. Registers the same
    /// readers as <see cref="SqliteRepository{TSaga}(ISagaRegistrationConfigurator{TSaga}, string)"/>.
    /// </summary>
    public static ISagaRegistrationConfigurator<TSaga> PostgresRepository<TSaga>(
        this ISagaRegistrationConfigurator<TSaga> configurator,
        Action<PostgresSagaRepositoryOptions> configure)
        where TSaga : class, ISagaVersion
    {
        ArgumentNullException.ThrowIfNull(configurator);
        ArgumentNullException.ThrowIfNull(configure);

        var options = new PostgresSagaRepositoryOptions();
        configure(options);
        var validated = options.Validated();
        return configurator.DocumentRepository(provider =>
            SagaDocumentStore<TSaga>.CreatePostgres(validated, provider.GetService<TimeProvider>() ?? TimeProvider.System));
    }

    /// <summary>
    /// The store the connection string names: PostgreSQL for an Npgsql connection string (<c>Host=…</c>), SQLite
    /// otherwise (<c>Data Source=…</c>).
    /// </summary>
    public static ISagaRegistrationConfigurator<TSaga> DocumentRepository<TSaga>(
        this ISagaRegistrationConfigurator<TSaga> configurator, string connectionString, string? sagaTypeName = null)
        where TSaga : class, ISagaVersion =>
        PostgresSagaRepositoryOptions.IsPostgres(connectionString)
            ? configurator.PostgresRepository(o => (o.ConnectionString, o.SagaTypeName) = (connectionString, sagaTypeName))
            : configurator.SqliteRepository(o => (o.ConnectionString, o.SagaTypeName) = (connectionString, sagaTypeName));

    private static ISagaRegistrationConfigurator<TSaga> DocumentRepository<TSaga>(
        this ISagaRegistrationConfigurator<TSaga> configurator, Func<IServiceProvider, SagaDocumentStore<TSaga>> store)
        where TSaga : class, ISagaVersion
    {
        configurator.Repository(services =>
        {
            services.TryAddSingleton(store);

            // MassTransit's own registration helpers: the saga endpoint resolves ISagaRepositoryContextFactory<TSaga>
            // per message, and ILoadSagaRepository/IQuerySagaRepository resolve the same factory per call.
            services.TryAddSingleton<ISagaStateReader<TSaga>, SagaStateReader<TSaga>>();
            services.RegisterLoadSagaRepository<TSaga, DocumentSagaRepositoryContextFactory<TSaga>>();
            services.RegisterQuerySagaRepository<TSaga, DocumentSagaRepositoryContextFactory<TSaga>>();
            services.RegisterSagaRepository<TSaga, SagaDocumentSession<TSaga>,
                SagaConsumeContextFactory<SagaDocumentSession<TSaga>, TSaga>, DocumentSagaRepositoryContextFactory<TSaga>>();
        });

        return configurator;
    }
}
