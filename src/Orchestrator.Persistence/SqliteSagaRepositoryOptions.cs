using MassTransit;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Persistence;

/// <summary>Settings of the SQLite saga repository (one instance per registered saga type).</summary>
public sealed class SqliteSagaRepositoryOptions : SagaRepositoryOptions
{
    /// <summary>How long a statement waits for another writer's lock before it fails (SQLite allows one writer at a time).</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal SqliteSagaRepositoryOptions Validated()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ConfigurationException("The SQLite saga repository needs a connection string, e.g. \"Data Source=state.db\".");
        }

        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ConfigurationException($"The SQLite saga repository connection string is invalid: {ex.Message}", ex);
        }

        // Each message opens its own connection, so a private in-memory database would be empty for the next
        // message: every saga would silently vanish. Refuse it instead of losing state.
        if (string.IsNullOrWhiteSpace(builder.DataSource)
            || builder.DataSource == ":memory:"
            || builder.Mode == SqliteOpenMode.Memory)
        {
            throw new ConfigurationException(
                "The SQLite saga repository needs a database file (Data Source=path/state.db); an in-memory database would lose every saga between messages.");
        }

        if (BusyTimeout <= TimeSpan.Zero)
        {
            throw new ConfigurationException("The SQLite saga repository BusyTimeout must be positive.");
        }

        // A copy, so changing the caller's object after registration cannot change a running repository.
        return new SqliteSagaRepositoryOptions
        {
            ConnectionString = ConnectionString,
            SerializerOptions = SerializerOptions ?? CreateDefaultSerializerOptions(),
            BusyTimeout = BusyTimeout,
            SagaTypeName = SagaTypeName,
        };
    }
}
