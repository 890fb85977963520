using System;
using System.Collections.Generic;
using System.Linq;

namespace E4Upgrade.Engine.Connection
{
    /// <summary>
    /// One thing a run does through Graph and the permissions Graph accepts for it: any one of them will do. Taken from
    /// each call's page in Microsoft Graph's v1.0 reference (microsoftgraph/microsoft-graph-docs-contrib
    /// api-reference/v1.0/includes/permissions/*-permissions.md); where a need covers several calls, only the
    /// permissions every one of those pages lists. The first is the least privileged.
    /// </summary>
    public sealed class PermissionNeed
    {
        internal PermissionNeed(string purpose, string[] application, string[]? delegated = null)
        {
            Purpose = purpose;
            Application = application;
            Delegated = delegated ?? application;
        }

        /// <summary>What the run does with it, e.g. "assign and remove user licenses".</summary>
        public string Purpose { get; }

        public IReadOnlyList<string> Application { get; }

        public IReadOnlyList<string> Delegated { get; }

        /// <summary>The permission to grant: the least privileged one Graph accepts.</summary>
        public string LeastPrivileged => Application[0];

        public IReadOnlyList<string> AcceptedFor(TokenKind kind) => kind == TokenKind.Delegated ? Delegated : Application;

        public bool IsMetBy(TokenPermissions token) => token.HoldsAny(AcceptedFor(token.Kind));

        /// <summary>"LicenseAssignment.ReadWrite.All (or User.ReadWrite.All, Directory.ReadWrite.All) to assign and remove user licenses".</summary>
        public string Describe() =>
            LeastPrivileged + (Application.Count > 1 ? " (or " + string.Join(", ", Application.Skip(1)) + ")" : "") + " to " + Purpose;

        public override string ToString() => Describe();
    }

    /// <summary>The permissions a run needs, one <see cref="PermissionNeed"/> per kind of call (README "Permissions").</summary>
    public static class GraphPermissions
    {
        /// <summary>GET /subscribedSkus (subscribedsku-list) and GET /directory/subscriptions (directory-list-subscriptions).</summary>
        public static readonly PermissionNeed ReadSubscriptions = new PermissionNeed(
            "read the subscribed SKUs and subscriptions",
            new[] { "Organization.Read.All", "Directory.Read.All", "Organization.ReadWrite.All" },
            new[] { "Organization.Read.All", "Directory.Read.All" });

        /// <summary>GET /users with the license filter and GET /users/{id} (user-list, user-get); User.ReadBasic.All cannot read licenses.</summary>
        public static readonly PermissionNeed ReadUsers = new PermissionNeed(
            "read users, their licenses and usage location",
            new[] { "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All" });

        /// <summary>POST /users/{id}/assignLicense (user-assignlicense).</summary>
        public static readonly PermissionNeed AssignUserLicenses = new PermissionNeed(
            "assign and remove user licenses",
            new[] { "LicenseAssignment.ReadWrite.All", "User.ReadWrite.All", "Directory.ReadWrite.All" });

        /// <summary>PATCH /users/{id} usageLocation (user-update), with -UsageLocation only.</summary>
        public static readonly PermissionNeed SetUsageLocation = new PermissionNeed(
            "set the usage location of users who lack one (-UsageLocation)",
            new[] { "User.ReadWrite.All", "Directory.ReadWrite.All" });

        /// <summary>GET /groups with the license filter, GET /groups/{id} (group-list) and GET /groups/{id}/members (group-list-members).</summary>
        public static readonly PermissionNeed ReadGroups = new PermissionNeed(
            "find the groups that assign the source SKU and read their members",
            new[] { "GroupMember.Read.All", "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All" });

        /// <summary>POST /groups/{id}/assignLicense (group-assignlicense).</summary>
        public static readonly PermissionNeed AssignGroupLicenses = new PermissionNeed(
            "change the licenses groups assign",
            new[] { "LicenseAssignment.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All" });

        /// <summary>GET /organization (organization-list): read at sign-in only when the token names no tenant.</summary>
        public static readonly PermissionNeed ReadOrganization = new PermissionNeed(
            "read the tenant id (GET /organization)",
            new[] { "Organization.Read.All", "Directory.Read.All", "Organization.ReadWrite.All", "Directory.ReadWrite.All" });

        /// <summary>
        /// The need behind a call the gateway named (its operation text, as in its errors): null for an operation this
        /// list does not know. The batch of writes is taken as license writes; a usage-location PATCH is named by the move engine.
        /// </summary>
        public static PermissionNeed? ForOperation(string operation)
        {
            var text = operation ?? "";
            if (text.StartsWith("GET ", StringComparison.OrdinalIgnoreCase) && text.EndsWith(" user(s) in $batch", StringComparison.OrdinalIgnoreCase))
            {
                return ReadUsers;
            }

            foreach (var (prefix, need) in Operations)
            {
                if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    return need;
                }
            }

            return null;
        }

        // The operation texts of Graph/GraphLicensingGateway and Connection/OrganizationTenantReader.
        private static readonly (string Prefix, PermissionNeed Need)[] Operations =
        {
            ("GET subscribedSkus", ReadSubscriptions),
            ("GET directory/subscriptions", ReadSubscriptions),
            ("GET users holding", ReadUsers),
            ("GET group", ReadGroups),
            ("GET members of group", ReadGroups),
            ("GET organization", ReadOrganization),
            ("POST $batch of", AssignUserLicenses),
            ("POST groups/", AssignGroupLicenses),
        };
    }
}
