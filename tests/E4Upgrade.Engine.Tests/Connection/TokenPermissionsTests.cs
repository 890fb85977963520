using E4Upgrade.Engine.Connection;
using Xunit;

namespace E4Upgrade.Engine.Tests.Connection;

public sealed class TokenPermissionsTests
{
    [Fact]
    public void An_app_token_carries_its_roles()
    {
        var permissions = TokenPermissions.TryRead(JwtTokens.App("User.Read.All", "LicenseAssignment.ReadWrite.All"))!;

        Assert.Equal(TokenKind.Application, permissions.Kind);
        Assert.True(GraphPermissions.AssignUserLicenses.IsMetBy(permissions));
        Assert.True(GraphPermissions.ReadUsers.IsMetBy(permissions));
        Assert.False(GraphPermissions.ReadGroups.IsMetBy(permissions));
    }

    [Fact]
    public void A_delegated_token_carries_its_scopes_and_is_judged_by_the_delegated_list()
    {
        var permissions = TokenPermissions.TryRead(JwtTokens.Delegated("openid", "Organization.ReadWrite.All"))!;

        Assert.Equal(TokenKind.Delegated, permissions.Kind);
        Assert.Contains("openid", permissions.Granted);
        // directory-list-subscriptions accepts Organization.ReadWrite.All from an app, not as a delegated scope.
        Assert.False(GraphPermissions.ReadSubscriptions.IsMetBy(permissions));
        Assert.True(GraphPermissions.ReadSubscriptions.IsMetBy(TokenPermissions.TryRead(JwtTokens.App("Organization.ReadWrite.All"))!));
    }

    [Theory]
    [InlineData("simulator-token")]
    [InlineData("a.b")]
    [InlineData("a.!!!.c")]
    [InlineData("")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJ0aWQiOiJjb250b3NvIn0.c2ln")] // {"tid":"contoso"}: names no permissions
    public void A_token_that_is_not_a_readable_jwt_or_names_no_permissions_says_nothing(string token) => Assert.Null(TokenPermissions.TryRead(token));

    [Fact]
    public void An_empty_roles_claim_grants_nothing() =>
        Assert.Empty(TokenPermissions.TryRead(JwtTokens.App())!.Granted);

    [Theory]
    [InlineData("GET subscribedSkus", "Organization.Read.All")]
    [InlineData("GET directory/subscriptions", "Organization.Read.All")]
    [InlineData("GET users holding 1392051d-0cb9-4b7a-88d5-621fee5e8711 (page 3)", "User.Read.All")]
    [InlineData("GET 20 user(s) in $batch", "User.Read.All")]
    [InlineData("GET groups assigning 1392051d-0cb9-4b7a-88d5-621fee5e8711", "GroupMember.Read.All")]
    [InlineData("GET members of group g1", "GroupMember.Read.All")]
    [InlineData("POST $batch of 20 write(s)", "LicenseAssignment.ReadWrite.All")]
    [InlineData("POST groups/g1/assignLicense", "LicenseAssignment.ReadWrite.All")]
    [InlineData("GET organization", "Organization.Read.All")]
    public void Each_operation_the_gateway_names_has_its_permission(string operation, string leastPrivileged) =>
        Assert.Equal(leastPrivileged, GraphPermissions.ForOperation(operation)!.LeastPrivileged);
}
