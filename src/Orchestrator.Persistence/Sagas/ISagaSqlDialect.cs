using System.Data.Common;

namespace Orchestrator.Persistence.Sagas;

/// <summary>
/// Everything that differs between databases for the saga document table. The session speaks plain ADO.NET
/// (<see cref="DbConnection"/>) and named <c>@parameters</c>, so a PostgreSQL dialect only has to supply these members.
/// </summary>
/// <remarks>
/// Parameters every statement may use: <c>@saga_type</c>, <c>@correlation_id</c>, <c>@version</c>,
/// <c>@expected_version</c>, <c>@current_state</c>, <c>@updated_at</c>, <c>@data</c>.
/// Result columns of both selects, in order: <c>correlation_id</c>, <c>version</c>, <c>data</c>.
/// </remarks>
internal interface ISagaSqlDialect
{
    /// <summary>Creates the database and table if missing. Called once per store before its first session.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Opens a connection ready for the statements below (session settings applied).</summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>One instance by key.</summary>
    string SelectOne { get; }

    /// <summary>All instances of one saga type.</summary>
    string SelectAllOfType { get; }

    /// <summary>Inserts a row; must affect zero rows (not fail) when the key already exists.</summary>
    string InsertIfMissing { get; }

    /// <summary>Replaces a row only while it still has <c>@expected_version</c>; zero rows affected means a conflict.</summary>
    string UpdateIfVersion { get; }

    /// <summary>Deletes a row only while it still has <c>@expected_version</c>; zero rows affected means a conflict.</summary>
    string DeleteIfVersion { get; }
}
