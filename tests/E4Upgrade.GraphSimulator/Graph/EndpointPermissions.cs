using System;
using System.Collections.Generic;

namespace E4Upgrade.GraphSimulator.Graph;

/// <summary>
/// The permissions one Graph endpoint accepts, as its page in microsoftgraph/microsoft-graph-docs-contrib lists them
/// (api-reference/v1.0/includes/permissions/*-permissions.md, least and higher privileged together): a token must hold
/// one of them for its kind (application roles, delegated scopes), else 403 Authorization_RequestDenied.
/// </summary>
internal sealed record EndpointPermissions(string Page, IReadOnlyList<string> Application, IReadOnlyList<string> Delegated)
{
    private const string DirectoryRead = "Directory.Read.All";
    private const string DirectoryWrite = "Directory.ReadWrite.All";

    /// <summary>subscribedsku-list-permissions.md (also for GET /subscribedSkus/{id}).</summary>
    public static readonly EndpointPermissions SubscribedSkus = Same("subscribedsku-list",
        "Organization.Read.All", DirectoryRead, DirectoryWrite, "Organization.ReadWrite.All");

    /// <summary>directory-list-subscriptions-permissions.md (delegated has no Organization.ReadWrite.All).</summary>
    public static readonly EndpointPermissions Subscriptions = new("directory-list-subscriptions",
        new[] { "Organization.Read.All", DirectoryRead, "Organization.ReadWrite.All" },
        new[] { "Organization.Read.All", DirectoryRead });

    /// <summary>organization-list: Organization.Read.All (least), Directory.Read.All, Organization.ReadWrite.All, Directory.ReadWrite.All; delegated also User.Read.</summary>
    public static readonly EndpointPermissions Organization = new("organization-list",
        new[] { "Organization.Read.All", DirectoryRead, "Organization.ReadWrite.All", DirectoryWrite },
        new[] { "User.Read", "Organization.Read.All", DirectoryRead, "Organization.ReadWrite.All", DirectoryWrite });

    /// <summary>user-list-permissions.md and user-get: delegated also User.ReadBasic.All.</summary>
    public static readonly EndpointPermissions ReadUsers = new("user-list",
        new[] { "User.Read.All", "User.ReadWrite.All", DirectoryRead, DirectoryWrite },
        new[] { "User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", DirectoryRead, DirectoryWrite });

    /// <summary>
    /// user-update-permissions.md for the properties a licensing client sets (usageLocation): User.ReadWrite.All,
    /// Directory.ReadWrite.All. (User.ManageIdentities.All and User.EnableDisableAccount.All cover other properties only;
    /// Microsoft Q&amp;A 1688073.)
    /// </summary>
    public static readonly EndpointPermissions UpdateUser = Same("user-update", "User.ReadWrite.All", DirectoryWrite);

    /// <summary>user-list-licensedetails: LicenseAssignment.Read.All and the user and directory read permissions (our reading of the page; the engine does not call it).</summary>
    public static readonly EndpointPermissions LicenseDetails = Same("user-list-licensedetails",
        "LicenseAssignment.Read.All", "User.Read.All", "User.ReadWrite.All", DirectoryRead, DirectoryWrite);

    /// <summary>user-assignlicense-permissions.md (the AgentIdUser permissions are left out: agent users are not modelled).</summary>
    public static readonly EndpointPermissions AssignUserLicense = Same("user-assignlicense",
        "LicenseAssignment.ReadWrite.All", DirectoryWrite, "User.ReadWrite.All");

    /// <summary>user-reprocesslicenseassignment: User.ReadWrite.All, Directory.ReadWrite.All.</summary>
    public static readonly EndpointPermissions ReprocessUser = Same("user-reprocesslicenseassignment", "User.ReadWrite.All", DirectoryWrite);

    /// <summary>group-list-permissions.md (also GET /groups/{id}).</summary>
    public static readonly EndpointPermissions ReadGroups = Same("group-list",
        "Group-NestingSupport.ReadWrite.All", DirectoryRead, DirectoryWrite, "Group.ManageProtection.All", "Group.Read.All", "Group.ReadWrite.All", "GroupMember.Read.All");

    /// <summary>group-list-members-permissions.md; membersWithLicenseErrors publishes no list of its own, so the same (our choice).</summary>
    public static readonly EndpointPermissions GroupMembers = Same("group-list-members",
        "GroupMember.Read.All", DirectoryRead, "Group.Read.All", "Group.ReadWrite.All", "GroupMember.ReadWrite.All");

    /// <summary>group-assignlicense: LicenseAssignment.ReadWrite.All (least), Directory.ReadWrite.All, Group.ReadWrite.All.</summary>
    public static readonly EndpointPermissions AssignGroupLicense = Same("group-assignlicense",
        "LicenseAssignment.ReadWrite.All", DirectoryWrite, "Group.ReadWrite.All");

    public static IReadOnlyList<EndpointPermissions> All { get; } = new[]
    {
        SubscribedSkus, Subscriptions, Organization, ReadUsers, UpdateUser, LicenseDetails, AssignUserLicense,
        ReprocessUser, ReadGroups, GroupMembers, AssignGroupLicense,
    };

    private static EndpointPermissions Same(string page, params string[] permissions) => new(page, permissions, permissions);
}
