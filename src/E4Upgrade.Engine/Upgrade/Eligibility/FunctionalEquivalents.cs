using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// E4 plans whose function lives on in the target under another plan, which the id/name-tier mapping cannot see.
    /// Microsoft: E4's voice conferencing (MCOVOICECONF) is kept by Office 365 E5, Microsoft 365 E5 and Microsoft 365
    /// E5 without Audio Conferencing, which carry Phone System (MCOEV) and/or Audio Conferencing (MCOMEETADV); the
    /// E3s carry neither (doc sections 6 and 7).
    /// </summary>
    internal static class FunctionalEquivalents
    {
        private static readonly Dictionary<string, string[]> CoveredBy = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["MCOVOICECONF"] = new[] { "MCOMEETADV", "MCOEV" },
        };

        /// <summary>The plans of <paramref name="dropped"/> that the target does not cover by function either.</summary>
        public static IReadOnlyList<string> StillLost(IReadOnlyList<string> dropped, SkuInfo target) =>
            dropped.Where(plan => !CoveredBy.TryGetValue(plan, out var equivalents)
                    || !target.ServicePlans.Any(p => equivalents.Contains(p.ServicePlanName, StringComparer.OrdinalIgnoreCase)))
                .ToList();
    }
}
