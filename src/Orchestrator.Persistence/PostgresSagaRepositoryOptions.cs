using MassTransit;
using Npgsql;

namespace Orchestrator.Persistence;

/// <summary>Settings of the PostgreSQL saga repository (one instance per registered saga type).</summary>
public sealed class PostgresSagaRepositoryOptions : SagaRepositoryOptions
{
    /// <summary>True for an Npgsql connection string (<c>Host=…</c>), the way <c>ConnectionStrings:state</c> picks the store.</summary>
    public static bool IsPostgres(string connectionString) =>
        connectionString.TrimStart().StartsWith("Host=", StringComparison.OrdinalIgnoreCase)
        || connectionString.Contains(";Host=", StringComparison.OrdinalIgnoreCase)
        || connectionString.StartsWith("postgres", StringComparison.OrdinalIgnoreCase);

    internal PostgresSagaRepositoryOptions Validated()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ConfigurationException("The PostgreSQL saga repository needs a connection string, e.g. \"Host=db;Username=…;Password=…;Database=…\".");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (ArgumentException)
        {
            // Npgsql's message may quote the string, password included.
            throw new ConfigurationException("The PostgreSQL saga repository connection string is not a list of Name=value pairs Npgsql understands.");
        }

        return new PostgresSagaRepositoryOptions
        {
            ConnectionString = ConnectionString,
            SerializerOptions = SerializerOptions ?? CreateDefaultSerializerOptions(),
            SagaTypeName = SagaTypeName,
        };
    }
}
