using System.ComponentModel.DataAnnotations;

namespace Orchestrator.Llm.Tests;

public sealed class ContextWindowOptionsTests
{
    [Fact]
    public void A_model_gets_its_configured_window_by_its_label_and_any_other_the_default()
    {
        var options = new ModelOptions
        {
            ContextWindow = 64_000,
            ContextWindows = [new() { Model = "openai:gpt-4o-mini", Tokens = 128_000 }, new() { Model = "scripted:demo-power", Tokens = 2_000 }],
        };

        Assert.Equal(128_000, options.ContextWindowOf("openai:gpt-4o-mini"));
        Assert.Equal(2_000, options.ContextWindowOf("scripted:demo-power (scripted demo model, not an AI)"));
        Assert.Equal(64_000, options.ContextWindowOf("openai:gpt-4.1"));
    }

    [Fact]
    public void An_entry_without_a_model_or_with_an_impossible_window_is_refused_saying_which()
    {
        var options = new ModelOptions { ContextWindows = [new() { Model = "openai:x", Tokens = 8_000 }, new() { Model = "", Tokens = 10 }] };
        var results = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        var problem = Assert.Single(results).ErrorMessage;
        Assert.StartsWith("Models:ContextWindows:1 needs a Model", problem, StringComparison.Ordinal);
    }
}
