using Orchestrator.Contracts;

namespace Orchestrator.Tests;

public sealed class UntrustedTextTests
{
    [Theory]
    [InlineData("if (isAdmin) {\u202E } \u2066// check later\u2069 {", "if (isAdmin) { } // check later {")]
    [InlineData("Add Power\U000E0049\U000E0067\U000E006E\U000E006F\U000E0072\U000E0065", "Add Power")]
    [InlineData("zero\u200Bwidth\uFEFF word\u2060 joiner\u200E", "zerowidth word joiner")]
    public void Hidden_characters_are_removed(string text, string expected) => Assert.Equal(expected, UntrustedText.StripHidden(text));

    [Theory]
    [InlineData("Plain text, ümlauts, 中文, emoji 👍")]
    [InlineData("family 👨\u200D👩\u200D👧 keeps its joiners")]
    [InlineData("")]
    public void Visible_text_is_left_as_it_is(string text) => Assert.Same(text, UntrustedText.StripHidden(text));
}
