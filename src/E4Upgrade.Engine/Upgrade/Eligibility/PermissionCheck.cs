using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Connection;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// Eligibility's permission findings, from the token's own claims before any change: one MissingPermission blocker
    /// per permission the run will need and the token lacks. A delegated token's scopes are checked the same way, but
    /// the signed-in user's directory role is not in its claims, so it gets a warning saying so.
    /// </summary>
    internal static class PermissionCheck
    {
        private static readonly PermissionNeed[] Reads = { GraphPermissions.ReadSubscriptions, GraphPermissions.ReadUsers, GraphPermissions.ReadGroups };

        /// <summary>Whether eligibility's own reads would be refused: then nothing else can be checked.</summary>
        public static bool LacksReads(TokenPermissions token) => Reads.Any(need => !need.IsMetBy(token));

        /// <summary>The report when the reads would be refused: the missing reads, and the user license write if it is missing too.</summary>
        public static EligibilityReport ReportBeforeReads(TokenPermissions token, EligibilityRequest request)
        {
            var findings = Reads.Append(GraphPermissions.AssignUserLicenses)
                .Concat(request.UsageLocation != null ? new[] { GraphPermissions.SetUsageLocation } : new PermissionNeed[0])
                .Where(need => !need.IsMetBy(token))
                .Select(need => Missing(token, need, need == GraphPermissions.AssignUserLicenses
                    ? " Nothing else was checked: without the read permissions the tenant cannot be read."
                    : ""))
                .ToList();
            if (token.Kind == TokenKind.Delegated)
            {
                findings.Add(RoleNotChecked(token, groups: true));
            }

            return new EligibilityReport
            {
                SourceSku = request.SourceSku ?? E4SkuFamily.E4PartNumber,
                TargetSku = request.TargetSku,
                TargetSkus = request.TargetSkus,
                Findings = findings,
                BlockerCount = findings.Count(f => f.Severity == FindingSeverity.Blocker),
                WarningCount = findings.Count(f => f.Severity == FindingSeverity.Warning),
                IsEligible = false,
            };
        }

        /// <summary>After the reads: the writes this run will make (user licenses when users hold the source directly, group licenses when groups assign it, usage locations with -UsageLocation).</summary>
        public static IEnumerable<EligibilityFinding> ForRun(TokenPermissions token, EligibilityReport report, bool setsUsageLocation)
        {
            var needs = new List<PermissionNeed>();
            if (report.DirectE4Users > 0)
            {
                needs.Add(GraphPermissions.AssignUserLicenses);
                if (setsUsageLocation)
                {
                    needs.Add(GraphPermissions.SetUsageLocation);
                }
            }

            if (report.E4Groups > 0)
            {
                needs.Add(GraphPermissions.AssignGroupLicenses);
            }

            foreach (var need in needs.Where(n => !n.IsMetBy(token)))
            {
                yield return Missing(token, need, "");
            }

            if (token.Kind == TokenKind.Delegated)
            {
                yield return RoleNotChecked(token, report.E4Groups > 0);
            }
        }

        private static EligibilityFinding Missing(TokenPermissions token, PermissionNeed need, string note) => new EligibilityFinding
        {
            Code = FindingCodes.MissingPermission,
            Severity = FindingSeverity.Blocker,
            Message = $"The token's {(token.Kind == TokenKind.Delegated ? "delegated scopes (scp)" : "application permissions (roles)")} lack {need.Describe()}; " +
                $"Graph would refuse it with 403 Authorization_RequestDenied. Grant {need.LeastPrivileged}" +
                (token.Kind == TokenKind.Delegated ? " (consent to the scope)" : " (an application permission with admin consent)") +
                ", then connect again." + note,
        };

        private static EligibilityFinding RoleNotChecked(TokenPermissions token, bool groups) => new EligibilityFinding
        {
            Code = FindingCodes.DelegatedRoleNotChecked,
            Severity = FindingSeverity.Warning,
            Message = "The token is delegated: its scopes were checked (" + string.Join(", ", token.Granted.OrderBy(p => p)) + "), " +
                "but Graph also requires the signed-in user to hold a directory role that allows license changes " +
                "(License Administrator, User Administrator or Directory Writers" + (groups ? "; Groups Administrator also for the groups" : "") +
                "; Graph's user-assignlicense and group-assignlicense pages), which the token does not show. If the role is missing, Graph answers 403 at the first write; the run stops with " +
                "PermissionMissing and the same command resumes once the role is assigned.",
        };
    }
}
