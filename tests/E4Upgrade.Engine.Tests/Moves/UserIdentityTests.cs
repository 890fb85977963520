using E4Upgrade.Engine.Moves;
using Xunit;

namespace E4Upgrade.Engine.Tests.Moves;

public class UserIdentityTests
{
    private const string Guid1 = "6b3f1c2e-8d4a-4f0e-9a1b-2c3d4e5f6a7b";

    [Fact]
    public void A_row_whose_id_names_no_user_uses_the_valid_upn_beside_it()
    {
        var user = UserIdentity.FromRow("1", "adele@contoso.com");

        Assert.Equal("adele@contoso.com", user.Key);
        Assert.Equal("adele@contoso.com", user.UserPrincipalName);
    }

    [Fact]
    public void A_row_with_a_valid_id_uses_the_id_and_keeps_the_upn_for_display()
    {
        var user = UserIdentity.FromRow(" " + Guid1.ToUpperInvariant() + " ", "adele@contoso.com");

        Assert.Equal(Guid1, user.Key);
        Assert.Equal("adele@contoso.com", user.UserPrincipalName);
    }

    [Theory]
    [InlineData("1", null, "'1' is neither")]
    [InlineData(null, null, "no Id, UserId, ObjectId or UserPrincipalName")]
    [InlineData("  ", "", "no Id, UserId, ObjectId or UserPrincipalName")]
    [InlineData("1", "not-a-upn", "'not-a-upn' is neither")]
    public void A_row_without_a_usable_identity_is_InvalidUserIdentity(string? id, string? upn, string why)
    {
        var error = Assert.Throws<E4UpgradeException>(() => UserIdentity.FromRow(id, upn));

        Assert.Equal(ErrorIds.InvalidUserIdentity, error.ErrorId);
        Assert.Equal(ErrorCategoryNames.InvalidArgument, error.Category);
        Assert.Contains(why, error.Message);
    }

    [Fact]
    public void A_null_input_is_InvalidUserIdentity_saying_so()
    {
        var error = UserIdentity.NullInput();

        Assert.Equal(ErrorIds.InvalidUserIdentity, error.ErrorId);
        Assert.Contains("$null", error.Message);
    }
}
