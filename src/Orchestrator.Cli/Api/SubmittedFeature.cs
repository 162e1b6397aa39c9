namespace Orchestrator.Cli.Api;

/// <summary>What <c>POST /features</c> answered: the new feature and where to poll it.</summary>
internal sealed record SubmittedFeature(Feature Feature, Uri? Location);
