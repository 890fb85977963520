using System;
using System.Collections.Generic;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>Plain words for the E4 plans an upgrade can lose, so a finding says what users lose, not only a plan code.</summary>
    internal static class PlanDescriptions
    {
        private static readonly Dictionary<string, string> Known = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["MCOVOICECONF"] = "Skype for Business Online (Plan 3): E4's voice and audio conferencing",
            ["MCOSTANDARD"] = "Skype for Business Online (Plan 2)",
            ["EXCHANGE_S_ENTERPRISE"] = "Exchange Online (Plan 2)",
            ["SHAREPOINTENTERPRISE"] = "SharePoint Online (Plan 2)",
            ["OFFICESUBSCRIPTION"] = "Microsoft 365 Apps for enterprise",
            ["SHAREPOINTWAC"] = "Office for the web",
            ["TEAMS1"] = "Microsoft Teams",
            ["YAMMER_ENTERPRISE"] = "Yammer Enterprise",
            ["STREAM_O365_E3"] = "Stream for Office 365 E3",
            ["RMS_S_ENTERPRISE"] = "Azure Rights Management",
        };

        public static string Describe(string planName) =>
            Known.TryGetValue(planName, out var words) ? planName + " (" + words + ")" : planName;
    }
}
