// Each overlay is rendered once for the whole run.
[assembly: AssemblyFixture(typeof(Orchestrator.Deploy.Tests.Support.Kustomize))]
