using System;

namespace E4Upgrade.GraphSimulator.Graph;

/// <summary>
/// What a Graph call resolves to: whether it is a write (counted against the write quota), its base cost in resource
/// units before query adjustments (see Pipeline/ResourceUnitCost.cs), how to run it, and the permissions its Graph
/// page accepts (null: none checked, for answers that come before any endpoint, such as a 400 for an unknown segment).
/// </summary>
internal sealed record RouteMatch(bool IsWrite, Func<GraphResponse> Execute, int ResourceUnits = 1, EndpointPermissions? Permissions = null);

/// <summary>Maps a Graph call (path segments are case-insensitive, as in Graph) to its endpoint.</summary>
internal sealed class GraphRouter
{
    // Base read costs from Graph's identity limits table (Learn copy 2026-02-06); unlisted paths cost 1.
    private const int UsersCost = 2;
    private const int SubscribedSkusCost = 3;
    private const int LicenseDetailsCost = 2;
    private const int GroupMembersCost = 3;

    private readonly UserEndpoints users;
    private readonly GroupEndpoints groups;
    private readonly DirectoryEndpoints directory;

    public GraphRouter(UserEndpoints users, GroupEndpoints groups, DirectoryEndpoints directory)
    {
        this.users = users;
        this.groups = groups;
        this.directory = directory;
    }

    public RouteMatch Match(GraphRequest request)
    {
        var s = request.Segments;
        var method = request.Method;
        if (s.Length == 0)
        {
            return Fixed(GraphErrors.SegmentNotFound(string.Empty));
        }

        switch (s[0].ToLowerInvariant())
        {
            case "me":
                return Fixed(GraphErrors.Create(400, "BadRequest", "/me request is only valid with delegated authentication flow."));
            case "subscribedskus" when s.Length <= 2:
                return Read(method, () => directory.SubscribedSkus(request, s.Length == 2 ? s[1] : null), EndpointPermissions.SubscribedSkus, SubscribedSkusCost);
            case "organization" when s.Length <= 2:
                return Read(method, () => directory.Organization(request, s.Length == 2 ? s[1] : null), EndpointPermissions.Organization);
            case "directory" when s.Length is 2 or 3 && Is(s[1], "subscriptions"):
                return Read(method, () => directory.Subscriptions(request, s.Length == 3 ? s[2] : null), EndpointPermissions.Subscriptions);
            case "users":
                return MatchUsers(request, s);
            case "groups":
                return MatchGroups(request, s);
            default:
                return Fixed(GraphErrors.SegmentNotFound(s[0]));
        }
    }

    private RouteMatch MatchUsers(GraphRequest request, string[] s)
    {
        var method = request.Method;
        switch (s.Length)
        {
            case 1:
                return Read(method, () => users.List(request), EndpointPermissions.ReadUsers, UsersCost);
            case 2:
                return method switch
                {
                    "GET" => new RouteMatch(false, () => users.Get(request, s[1]), UsersCost, EndpointPermissions.ReadUsers),
                    "PATCH" => new RouteMatch(true, () => users.Patch(request, s[1]), Permissions: EndpointPermissions.UpdateUser),
                    _ => Fixed(GraphErrors.MethodNotAllowed()),
                };
            case 3 when Is(s[2], "licenseDetails"):
                return Read(method, () => users.LicenseDetails(request, s[1]), EndpointPermissions.LicenseDetails, LicenseDetailsCost);
            case 3 when Is(s[2], "assignLicense") || Is(s[2], "microsoft.graph.assignLicense"):
                return Write(method, () => users.AssignLicense(request, s[1]), EndpointPermissions.AssignUserLicense);
            case 3 when Is(s[2], "reprocessLicenseAssignment") || Is(s[2], "microsoft.graph.reprocessLicenseAssignment"):
                return Write(method, () => users.Reprocess(request, s[1]), EndpointPermissions.ReprocessUser);
            default:
                return Fixed(GraphErrors.SegmentNotFound(s[^1]));
        }
    }

    private RouteMatch MatchGroups(GraphRequest request, string[] s)
    {
        var method = request.Method;
        switch (s.Length)
        {
            case 1:
                return Read(method, () => groups.List(request), EndpointPermissions.ReadGroups);
            case 2:
                return Read(method, () => groups.Get(request, s[1]), EndpointPermissions.ReadGroups);
            case 3 when Is(s[2], "members"):
                return Read(method, () => groups.Members(request, s[1], onlyWithLicenseErrors: false), EndpointPermissions.GroupMembers, GroupMembersCost);
            case 3 when Is(s[2], "membersWithLicenseErrors"):
                return Read(method, () => groups.Members(request, s[1], onlyWithLicenseErrors: true), EndpointPermissions.GroupMembers);
            case 3 when Is(s[2], "assignLicense") || Is(s[2], "microsoft.graph.assignLicense"):
                return Write(method, () => groups.AssignLicense(request, s[1]), EndpointPermissions.AssignGroupLicense);
            default:
                return Fixed(GraphErrors.SegmentNotFound(s[^1]));
        }
    }

    private static bool Is(string segment, string name) => string.Equals(segment, name, StringComparison.OrdinalIgnoreCase);

    private static RouteMatch Read(string method, Func<GraphResponse> execute, EndpointPermissions permissions, int resourceUnits = 1) =>
        method == "GET" ? new RouteMatch(false, execute, resourceUnits, permissions) : Fixed(GraphErrors.MethodNotAllowed());

    private static RouteMatch Write(string method, Func<GraphResponse> execute, EndpointPermissions permissions) =>
        method == "POST" ? new RouteMatch(true, execute, Permissions: permissions) : Fixed(GraphErrors.MethodNotAllowed());

    private static RouteMatch Fixed(GraphResponse response) => new(false, () => response);
}
