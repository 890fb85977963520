using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// Services that keep user data (mail, files, posts, videos...), judged by service plan name. The admin
    /// center only offers targets with "the same data-related services or higher versions"; a lower tier or a
    /// missing family means data to back up first (doc section 7).
    /// </summary>
    internal static class DataServices
    {
        private sealed class Family
        {
            public Family(string name, Func<string, int> level)
            {
                Name = name;
                Level = level;
            }

            public string Name { get; }
            /// <summary>0 when the plan is not of the family; higher numbers for higher tiers.</summary>
            public Func<string, int> Level { get; }
        }

        private static readonly Family[] Families =
        {
            new Family("Exchange Online mailbox", p => Rank(p,
                new[] { "EXCHANGE_S_ENTERPRISE" },
                new[] { "EXCHANGE_S_STANDARD", "EXCHANGE_S_STANDARD_MIDMARKET", "EXCHANGE_B_STANDARD" },
                new[] { "EXCHANGE_S_DESKLESS", "EXCHANGE_S_ESSENTIALS", "EXCHANGE_S_ARCHIVE" })),
            new Family("SharePoint Online", p => Rank(p,
                new[] { "SHAREPOINTENTERPRISE", "SHAREPOINTENTERPRISE_EDU", "SHAREPOINTENTERPRISE_MIDMARKET" },
                new[] { "SHAREPOINTSTANDARD", "SHAREPOINTSTANDARD_EDU", "SHAREPOINTSTANDARD_YAMMERSHADOW" },
                new[] { "SHAREPOINTDESKLESS", "SHAREPOINTLITE" })),
            // OneDrive comes with every SharePoint Online plan as well as with the OneDrive plans.
            new Family("OneDrive", p => p.StartsWith("ONEDRIVE", StringComparison.OrdinalIgnoreCase)
                || (p.StartsWith("SHAREPOINT", StringComparison.OrdinalIgnoreCase) && !p.Equals("SHAREPOINTWAC", StringComparison.OrdinalIgnoreCase)) ? 1 : 0),
            new Family("Yammer / Viva Engage", p => p.StartsWith("YAMMER_", StringComparison.OrdinalIgnoreCase) ? 1 : 0),
            new Family("Stream", p => p.StartsWith("STREAM_", StringComparison.OrdinalIgnoreCase) ? 1 : 0),
            new Family("Teams", p => p.StartsWith("TEAMS", StringComparison.OrdinalIgnoreCase) ? 1 : 0),
            new Family("Planner", p => p.Equals("PROJECTWORKMANAGEMENT", StringComparison.OrdinalIgnoreCase) ? 1 : 0),
            new Family("Forms", p => p.StartsWith("FORMS_PLAN", StringComparison.OrdinalIgnoreCase) ? 1 : 0),
            new Family("To Do", p => p.StartsWith("BPOS_S_TODO", StringComparison.OrdinalIgnoreCase) ? 1 : 0),
            new Family("Sway", p => p.Equals("SWAY", StringComparison.OrdinalIgnoreCase) ? 1 : 0),
        };

        /// <summary>Data services of the source that the target lacks or carries at a lower tier, described for a message.</summary>
        public static IReadOnlyList<string> Missing(SkuInfo source, SkuInfo target)
        {
            var missing = new List<string>();
            foreach (var family in Families)
            {
                var sourceBest = Best(family, source);
                if (sourceBest == null)
                {
                    continue;
                }

                var targetBest = Best(family, target);
                if (targetBest == null)
                {
                    missing.Add(family.Name + " (" + sourceBest.ServicePlanName + ", none in the target)");
                }
                else if (family.Level(targetBest.ServicePlanName) < family.Level(sourceBest.ServicePlanName))
                {
                    missing.Add(family.Name + " (" + sourceBest.ServicePlanName + " -> " + targetBest.ServicePlanName + ")");
                }
            }

            return missing;
        }

        private static ServicePlan? Best(Family family, SkuInfo sku) =>
            sku.ServicePlans
                .Where(p => family.Level(p.ServicePlanName) > 0)
                .OrderByDescending(p => family.Level(p.ServicePlanName))
                .FirstOrDefault();

        private static int Rank(string plan, string[] high, string[] middle, string[] low)
        {
            if (high.Any(h => h.Equals(plan, StringComparison.OrdinalIgnoreCase))) return 3;
            if (middle.Any(h => h.Equals(plan, StringComparison.OrdinalIgnoreCase))) return 2;
            if (low.Any(h => h.Equals(plan, StringComparison.OrdinalIgnoreCase))) return 1;
            return 0;
        }
    }
}
