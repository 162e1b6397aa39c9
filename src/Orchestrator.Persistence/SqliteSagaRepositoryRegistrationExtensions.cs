using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orchestrator.Persistence.Sagas;

namespace Orchestrator.Persistence;

/// <summary>Selects the SQLite saga repository for a saga, the way <c>InMemoryRepository()</c> or <c>RedisRepository()</c> do.</summary>
public static class SqliteSagaRepositoryRegistrationExtensions
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

        configurator.Repository(services =>
        {
            services.TryAddSingleton(provider =>
                SagaDocumentStore<TSaga>.CreateSqlite(validated, provider.GetService<TimeProvider>() ?? TimeProvider.System));

            // MassTransit's own registration helpers: the saga endpoint resolves ISagaRepositoryContextFactory<TSaga>
            // per message, and ILoadSagaRepository/IQuerySagaRepository resolve the same factory per call.
            services.TryAddSingleton<ISagaStateReader<TSaga>, SagaStateReader<TSaga>>();
            services.RegisterLoadSagaRepository<TSaga, SqliteSagaRepositoryContextFactory<TSaga>>();
            services.RegisterQuerySagaRepository<TSaga, SqliteSagaRepositoryContextFactory<TSaga>>();
            services.RegisterSagaRepository<TSaga, SagaDocumentSession<TSaga>,
                SagaConsumeContextFactory<SagaDocumentSession<TSaga>, TSaga>, SqliteSagaRepositoryContextFactory<TSaga>>();
        });

        return configurator;
    }
}
