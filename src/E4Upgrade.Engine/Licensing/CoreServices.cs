using System;
using System.Linq;

namespace E4Upgrade.Engine.Licensing
{
    /// <summary>
    /// The services an E4 user keeps data or daily work in: Exchange, SharePoint/OneDrive, Teams and the Office apps.
    /// Losing one of them is a ServiceLoss blocker (the admin center only offers targets with "the same data-related
    /// services or higher versions", doc section 7); a higher level supplies a lower one.
    /// </summary>
    public static class CoreServices
    {
        public const string Exchange = "Exchange Online";
        public const string SharePoint = "SharePoint / OneDrive";
        public const string Teams = "Teams";
        public const string OfficeApps = "Office apps";

        private static readonly (string Service, string[] Names, int Level)[] Plans =
        {
            (Exchange, new[] { "EXCHANGE_S_ENTERPRISE", "EXCHANGE_S_ENTERPRISE_GOV" }, 3),
            (Exchange, new[] { "EXCHANGE_S_STANDARD", "EXCHANGE_S_STANDARD_MIDMARKET", "EXCHANGE_B_STANDARD", "EXCHANGE_S_STANDARD_GOV" }, 2),
            (Exchange, new[] { "EXCHANGE_S_DESKLESS", "EXCHANGE_S_ESSENTIALS" }, 1),
            (SharePoint, new[] { "SHAREPOINTENTERPRISE", "SHAREPOINTENTERPRISE_EDU", "SHAREPOINTENTERPRISE_MIDMARKET", "SHAREPOINTENTERPRISE_GOV" }, 3),
            (SharePoint, new[] { "SHAREPOINTSTANDARD", "SHAREPOINTSTANDARD_EDU", "SHAREPOINTSTANDARD_YAMMERSHADOW" }, 2),
            (SharePoint, new[] { "SHAREPOINTDESKLESS", "SHAREPOINTLITE", "ONEDRIVESTANDARD", "ONEDRIVE_BASIC" }, 1),
            (Teams, new[] { "TEAMS1", "TEAMS_GOV", "TEAMS_AR_GCCHIGH", "TEAMS_AR_DOD" }, 1),
            (OfficeApps, new[] { "OFFICESUBSCRIPTION", "OFFICESUBSCRIPTION_GOV" }, 3),
            (OfficeApps, new[] { "OFFICE_BUSINESS" }, 2),
            (OfficeApps, new[] { "SHAREPOINTWAC", "SHAREPOINTWAC_EDU", "SHAREPOINTWAC_GOV" }, 1),
        };

        /// <summary>The core service a plan belongs to, or null for any other plan.</summary>
        public static string? ServiceOf(string planName) => Find(planName)?.Service;

        public static bool IsCore(string planName) => Find(planName) != null;

        /// <summary>True when <paramref name="candidate"/> gives the same core service as <paramref name="plan"/> at an equal or higher level.</summary>
        public static bool Supplies(string plan, string candidate)
        {
            var wanted = Find(plan);
            var offered = Find(candidate);
            return wanted != null && offered != null && wanted.Value.Service == offered.Value.Service && offered.Value.Level >= wanted.Value.Level;
        }

        private static (string Service, int Level)? Find(string planName)
        {
            foreach (var entry in Plans)
            {
                if (entry.Names.Any(n => string.Equals(n, planName, StringComparison.OrdinalIgnoreCase)))
                {
                    return (entry.Service, entry.Level);
                }
            }

            return null;
        }
    }
}
