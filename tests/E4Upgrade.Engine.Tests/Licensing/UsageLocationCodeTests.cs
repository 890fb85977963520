using Xunit;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Tests.Licensing;

public class UsageLocationCodeTests
{
    [Theory]
    [InlineData("US", "US")]
    [InlineData("de", "DE")]
    [InlineData(" gb ", "GB")]
    [InlineData("AX", "AX")]
    [InlineData("SS", "SS")]
    public void An_assigned_ISO_3166_alpha2_code_is_accepted_in_upper_case(string input, string expected)
    {
        Assert.Equal(expected, UsageLocationCode.Normalize(input));
    }

    [Theory]
    [InlineData("ZZ")] // user-assigned range
    [InlineData("XK")] // Kosovo: used by some, not assigned by ISO
    [InlineData("UK")] // exceptionally reserved, not the code of the United Kingdom (GB)
    [InlineData("EU")]
    [InlineData("USA")]
    [InlineData("U")]
    [InlineData("1A")]
    [InlineData("")]
    public void Anything_else_is_InvalidUsageLocation(string input)
    {
        var error = Assert.Throws<E4UpgradeException>(() => UsageLocationCode.Normalize(input));

        Assert.Equal(ErrorIds.InvalidUsageLocation, error.ErrorId);
        Assert.Equal(ErrorCategoryNames.InvalidArgument, error.Category);
        Assert.Contains("ISO 3166-1 alpha-2", error.Message);
    }

    [Fact]
    public void The_list_holds_the_249_officially_assigned_codes()
    {
        Assert.Equal(249, UsageLocationCode.Count);
        Assert.Null(UsageLocationCode.Normalize(null));
    }
}
