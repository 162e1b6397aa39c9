using Orchestrator.Agents.Transcripts;

namespace Orchestrator.Agents.Tests;

/// <summary>What a transcript step may hold: bounded, one line, and nothing that looks like a credential.</summary>
public sealed class StepTextTests
{
    private const string StagingCredential = "6f9619ff8b86d011b42d00cf4fc964ff.1.aW1wbGVtZW50.c2VjcmV0LW1hYw";

    [Theory]
    [InlineData("git clone https://x-access-token:ghp_abcdefabcdef0123456789@github.com/o/r.git", "git clone https://***@github.com/o/r.git")]
    [InlineData("remote: http://agent@staging:8080/git/f.git", "remote: http://***@staging:8080/git/f.git")]
    [InlineData("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload", "Authorization: Bearer ***")]
    [InlineData("curl -H 'Authorization: Basic dXNlcjpwYXNzd29yZA=='", "curl -H 'Authorization: Basic ***'")]
    [InlineData("password=hunter2hunter2 and api_key: \"k-123456\"", "password=*** and api_key: \"***\"")]
    [InlineData("token ghp_abcdefabcdef0123456789abcd found", "token *** found")]
    [InlineData("sk-proj-abcdefghijklmnopqrstuv in the env", "*** in the env")]
    [InlineData("Added the token budget and a password prompt.", "Added the token budget and a password prompt.")]
    public void Scrubs_what_looks_like_a_credential_and_leaves_prose_alone(string text, string expected) =>
        Assert.Equal(expected, StepText.Summarise(text, []));

    [Fact]
    public void Removes_the_attempts_own_staging_credential_wherever_it_appears()
    {
        var summary = StepText.Summarise($"extra header {StagingCredential} in the log, and again:{StagingCredential}", [StagingCredential]);

        Assert.DoesNotContain(StagingCredential, summary, StringComparison.Ordinal);
        Assert.Equal("extra header *** in the log, and again:***", summary);
    }

    [Fact]
    public void Cuts_long_text_to_the_bound_with_a_note_of_what_was_cut_and_keeps_it_on_one_line()
    {
        var summary = StepText.Summarise("line one\nline two\t" + new string('x', 1_000), []);

        Assert.StartsWith("line one line two xxx", summary, StringComparison.Ordinal);
        Assert.EndsWith($"… [{18 + 1_000 - StepText.MaxLength} more characters cut]", summary, StringComparison.Ordinal);
        Assert.Equal(StepText.MaxLength, summary.IndexOf('…', StringComparison.Ordinal));
    }

    [Fact]
    public void Removes_hidden_characters_a_reader_would_not_see()
    {
        Assert.Equal("abc", StepText.Summarise("a\u202Eb\u200Bc", []));
    }
}
