using System.Text;

namespace Orchestrator.Persistence.Sagas;

/// <summary>The state filter of <see cref="ISagaSqlDialect.SelectByState"/> in SQL both dialects speak.</summary>
internal static class SagaStateSql
{
    public static string SelectByState(string select, int inCount, int notInCount)
    {
        var sql = new StringBuilder(select);
        if (inCount > 0)
        {
            sql.Append(" AND current_state IN (").AppendJoin(", ", Enumerable.Range(0, inCount).Select(i => $"@in_{i}")).Append(')');
        }

        if (notInCount > 0)
        {
            sql.Append(" AND (current_state IS NULL OR current_state NOT IN (")
                .AppendJoin(", ", Enumerable.Range(0, notInCount).Select(i => $"@not_in_{i}")).Append("))");
        }

        return sql.Append(';').ToString();
    }
}
