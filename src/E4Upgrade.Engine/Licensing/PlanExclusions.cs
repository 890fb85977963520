using System;
using System.Collections.Generic;

namespace E4Upgrade.Engine.Licensing
{
    /// <summary>Service plans Graph refuses to enable together for one user (MutuallyExclusiveViolation in group licensing).</summary>
    public sealed class PlanExclusion
    {
        public PlanExclusion(IReadOnlyList<string> plans, string source)
        {
            Plans = plans;
            Source = source;
        }

        public IReadOnlyList<string> Plans { get; }
        /// <summary>Where the rule comes from (a public document or error report).</summary>
        public string Source { get; }
    }

    /// <summary>
    /// The engine's one home for mutual exclusions between service plans, each with its source. Only rules with a source
    /// are here. Left out on purpose: the rest of Microsoft's "cannot be assigned at the same time" table (Exchange
    /// Kiosk/Essentials, SharePoint, Skype MCOIMP vs MCOSTANDARD, ...), because Microsoft's own recommended purchase of a
    /// no-Teams suite plus Teams Enterprise puts several of those pairs on one user, so the table is not what Graph
    /// enforces today and no public error report confirms any of them.
    /// </summary>
    public static class PlanExclusions
    {
        private const string ExchangePlansSource =
            "Microsoft, \"Product names and service plan identifiers for licensing\", section \"Service plans that cannot be assigned at the same time\" " +
            "(Office 365 E1 + E3 fails: Exchange Online (Plan 2) conflicts with Exchange Online (Plan 1)); MSOnline's text \"Conflicting Service Plans: " +
            "EXCHANGE_S_STANDARD, EXCHANGE_S_ENTERPRISE\" and the admin center's \"You can't assign licenses that contain these conflicting services: " +
            "Exchange Online (Plan 2), Exchange Online (Plan 1)\" (Cayosoft KB20191011-1). Microsoft's group-licensing troubleshooting page now says the two " +
            "may be held together (MicrosoftDocs/azure-docs pull request 111681, 2023); kept, because a group refused on it costs a re-run with " +
            "-AcceptFinding, while a conflict missed leaves members with neither license.";

        public static readonly IReadOnlyList<PlanExclusion> Known = new[]
        {
            new PlanExclusion(new[] { "EXCHANGE_S_STANDARD", "EXCHANGE_S_ENTERPRISE" }, ExchangePlansSource),
        };

        internal static readonly StringComparer Names = StringComparer.OrdinalIgnoreCase;
    }
}
