using E4Upgrade.Engine.Connection;
using E4Upgrade.GraphSimulator.Graph;
using Xunit;

namespace E4Upgrade.Engine.Tests.Connection;

/// <summary>
/// The engine's permission needs and the simulator's per-endpoint lists come from the same Graph pages: each need is
/// exactly what every page it covers accepts (so eligibility never calls a permission missing that Graph accepts, nor
/// passes one Graph refuses), except where the engine needs more than the page's bare minimum, said here.
/// </summary>
public sealed class GraphPermissionsMatchSimulatorTests
{
    public static TheoryData<string> Needs() => new() { "ReadSubscriptions", "ReadUsers", "AssignUserLicenses", "SetUsageLocation", "ReadGroups", "AssignGroupLicenses", "ReadOrganization" };

    [Theory]
    [MemberData(nameof(Needs))]
    public void Each_need_is_what_its_graph_pages_accept_in_common(string name)
    {
        var (need, pages, leftOut) = name switch
        {
            "ReadSubscriptions" => (GraphPermissions.ReadSubscriptions, new[] { EndpointPermissions.SubscribedSkus, EndpointPermissions.Subscriptions }, Array.Empty<string>()),
            // User.ReadBasic.All (delegated) reads no assignedLicenses.
            "ReadUsers" => (GraphPermissions.ReadUsers, new[] { EndpointPermissions.ReadUsers }, new[] { "User.ReadBasic.All" }),
            "AssignUserLicenses" => (GraphPermissions.AssignUserLicenses, new[] { EndpointPermissions.AssignUserLicense }, Array.Empty<string>()),
            "SetUsageLocation" => (GraphPermissions.SetUsageLocation, new[] { EndpointPermissions.UpdateUser }, Array.Empty<string>()),
            "ReadGroups" => (GraphPermissions.ReadGroups, new[] { EndpointPermissions.ReadGroups, EndpointPermissions.GroupMembers }, Array.Empty<string>()),
            "AssignGroupLicenses" => (GraphPermissions.AssignGroupLicenses, new[] { EndpointPermissions.AssignGroupLicense }, Array.Empty<string>()),
            "ReadOrganization" => (GraphPermissions.ReadOrganization, new[] { EndpointPermissions.Organization }, new[] { "User.Read" }),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        Assert.Equal(Common(pages.Select(p => p.Application), leftOut), need.Application.OrderBy(p => p));
        Assert.Equal(Common(pages.Select(p => p.Delegated), leftOut), need.Delegated.OrderBy(p => p));
    }

    private static IEnumerable<string> Common(IEnumerable<IReadOnlyList<string>> lists, string[] leftOut) =>
        lists.Aggregate((IEnumerable<string>?)null, (acc, list) => acc == null ? list : acc.Intersect(list))!.Except(leftOut).OrderBy(p => p);
}
