using Orchestrator.Contracts;

namespace Orchestrator.Llm.Devices;

/// <summary>
/// The model of a new feature when it names a device, checked where the documents are kept; its label says it is
/// not a live model, wherever it shows (status, logs, commit trailer, pull request).
/// </summary>
public sealed class ModelDeviceSelection(ScriptLibrary scripts, CassetteLibrary cassettes)
{
    /// <summary>The scripted model playing <paramref name="name"/>; throws <see cref="ModelDeviceException"/> when there is no such script.</summary>
    public ModelSelection Script(string name)
    {
        if (!scripts.Exists(name))
        {
            var known = scripts.Names();
            throw new ModelDeviceException(
                $"Scripted model: no script named '{name}'; available: {(known.Count == 0 ? "none" : string.Join(", ", known))}.");
        }

        return new ModelSelection(name, $"{ScriptedChatClient.ProviderName}:{name} (scripted demo model, not an AI)");
    }

    /// <summary>
    /// The replay of the cassette <paramref name="name"/>, labelled <c>replay:&lt;name&gt; (recorded run, not a live model)</c>;
    /// throws <see cref="ModelDeviceException"/> when the name is invalid or no such cassette exists.
    /// </summary>
    public ModelSelection Replay(string name)
    {
        if (!CassetteLibrary.IsValidName(name))
        {
            throw new ModelDeviceException($"Replay: '{name}' is not a valid cassette name.");
        }

        if (!cassettes.Exists(name))
        {
            var known = cassettes.Names();
            throw new ModelDeviceException(
                $"Replay: no cassette named '{name}'; available: {(known.Count == 0 ? "none" : string.Join(", ", known))}.");
        }

        return new ModelSelection(null, $"{ReplayChatClient.ProviderName}:{name} (recorded run, not a live model)") { Replay = name };
    }
}
