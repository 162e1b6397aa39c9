using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Orchestrator.Workspaces.Kubernetes;

// The Kubernetes section only matters, and is only checked, when this service chose the Job runner: a service that
// keeps the sandbox starts whatever that section says.
internal sealed class RunnerOptionsValidation(IOptions<RunnerOptions> runner) : IValidateOptions<KubernetesJobRunnerOptions>
{
    // Attribute messages name only the property; every message names the full key.
    private static string Message(ValidationResult failure)
    {
        var message = failure.ErrorMessage ?? "is not valid.";
        return message.StartsWith(KubernetesJobRunnerOptions.Section, StringComparison.Ordinal)
            ? message
            : $"{KubernetesJobRunnerOptions.Section}:{string.Join(',', failure.MemberNames)}: {message}";
    }

    public ValidateOptionsResult Validate(string? name, KubernetesJobRunnerOptions options)
    {
        if (runner.Value.Kind != RunnerKind.KubernetesJob)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), failures, validateAllProperties: true);
        failures.AddRange(options.Validate());
        return failures.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(failures.Select(Message));
    }
}
