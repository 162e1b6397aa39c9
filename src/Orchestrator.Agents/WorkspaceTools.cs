using Microsoft.SemanticKernel;

namespace Orchestrator.Agents;

/// <summary>The workspace plugin as a role sees it: only the functions its tool set allows are offered to the model.</summary>
public static class WorkspaceTools
{
    /// <summary>
    /// A plugin named <see cref="WorkspacePlugin.PluginName"/> holding the functions of <paramref name="workspace"/>
    /// that <paramref name="allowed"/> names (<c>Roles:&lt;name&gt;:Tools</c>); a function left out is neither offered
    /// nor callable.
    /// </summary>
    public static KernelPlugin Plugin(WorkspacePlugin workspace, IReadOnlyCollection<string> allowed)
    {
        var all = KernelPluginFactory.CreateFromObject(workspace, WorkspacePlugin.PluginName);
        return KernelPluginFactory.CreateFromFunctions(
            WorkspacePlugin.PluginName, all.Where(function => allowed.Contains(function.Name, StringComparer.Ordinal)));
    }
}
