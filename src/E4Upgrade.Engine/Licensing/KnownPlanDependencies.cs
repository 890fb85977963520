using System.Collections.Generic;

namespace E4Upgrade.Engine.Licensing
{
    /// <summary>
    /// The plan dependencies the engine knows before it writes, each with the public evidence for it, so a sourced rule
    /// never costs a refused write. The engine's own data: the Graph simulator keeps its own model, and a rule found only
    /// in a 400 is learnt during the run (<see cref="PlanDependencies.Learn(System.Guid, IReadOnlyList{System.Guid}, ICollection{System.Guid})"/>).
    /// Plans are named as in Microsoft's "Product names and service plan identifiers for licensing" table; their ids come
    /// from the tenant's own subscribedSkus.
    /// </summary>
    internal static class KnownPlanDependencies
    {
        private const string TeamsAddOns =
            "The admin center unchecks Teams Phone and Audio Conferencing only when Teams and Skype for Business Online are " +
            "both unchecked, and \"the add-on license cannot be assigned to the user without a corresponding service plans " +
            "being assigned\" (Cayosoft KB20191011-1). Graph's 400 for the GCC counterpart names both bases: \"service plan " +
            "f544b08d-... (MCOMEETADV_GOV) depends on the service plan(s) 304767db-... (TEAMS_GOV), a31ef4a2-... (MCOSTANDARD_GOV)\" " +
            "(MicrosoftDocs/microsoft-365-docs pull request 3864). Either base is enough.";

        private const string MailboxAddOns =
            "Defender for Office 365 protects Exchange Online mailboxes and is sold as an add-on without one (ATP_ENTERPRISE and " +
            "THREAT_INTELLIGENCE SKUs in Microsoft's licensing table have no Exchange plan); public tools report Graph's " +
            "\"License assignment failed because service plan ... depends on the service plan(s) ...\" for it without an " +
            "Exchange Online plan. Graph's exact list is not published: any Exchange Online mailbox plan is taken as enough.";

        private static readonly string[] MailboxPlans =
        {
            "EXCHANGE_S_STANDARD", "EXCHANGE_S_ENTERPRISE", "EXCHANGE_S_DESKLESS", "EXCHANGE_S_ESSENTIALS", "EXCHANGE_B_STANDARD", "EXCHANGE_S_STANDARD_MIDMARKET",
        };

        public static readonly IReadOnlyList<PlanDependency> All = new[]
        {
            new PlanDependency("MCOMEETADV", new[] { "TEAMS1", "MCOSTANDARD" }, DependencyKind.AnyOf, TeamsAddOns),
            new PlanDependency("MCOEV", new[] { "TEAMS1", "MCOSTANDARD" }, DependencyKind.AnyOf,
                TeamsAddOns + " Teams Phone is an add-on to suites that include Teams (Microsoft's resource-account licensing " +
                "page as quoted by providers; ConnectorSupport KB 80000605686: a phone system add-on \"is not sufficient\" without a license that includes Teams)."),
            new PlanDependency("SHAREPOINTWAC",
                new[]
                {
                    "SHAREPOINTSTANDARD", "SHAREPOINTENTERPRISE", "SHAREPOINTDESKLESS", "SHAREPOINTENTERPRISE_MIDMARKET", "SHAREPOINTLITE", "SHAREPOINTSTANDARD_EDU",
                    "SHAREPOINTENTERPRISE_EDU", "SHAREPOINT_S_DEVELOPER", "ONEDRIVESTANDARD", "ONEDRIVEENTERPRISE", "ONEDRIVE_BASIC", "ONEDRIVE_BASIC_P2",
                },
                DependencyKind.AnyOf,
                "The admin center: \"to assign a license that contains Office for the web, you must also assign one of the following " +
                "service plans: SharePoint Online (Plan 2), SharePoint Online Kiosk, SharePoint Online (Plan 1)\" (quoted in " +
                "MicrosoftDocs/OfficeDocs-Enterprise issue 627, 2019; the same rule asked about in MicrosoftDocs/azure-docs issue 23999). " +
                "The OneDrive plans and SHAREPOINTENTERPRISE_MIDMARKET are added because Microsoft's licensing table sells " +
                "SHAREPOINTWAC with only them (every SKU with SHAREPOINTWAC has one of the listed plans); the same list as the simulator's rule."),
            new PlanDependency("ATP_ENTERPRISE", MailboxPlans, DependencyKind.AnyOf, MailboxAddOns),
            new PlanDependency("THREAT_INTELLIGENCE", MailboxPlans, DependencyKind.AnyOf, MailboxAddOns),
            new PlanDependency("WORKPLACE_ANALYTICS", new[] { "EXCHANGE_S_ENTERPRISE" }, DependencyKind.AnyOf,
                "MicrosoftDocs/entra-docs licensing-groups-resolve-problems.md: \"The service Microsoft Workplace Analytics requires " +
                "Exchange Online (Plan 2) to be enabled as well.\""),
            new PlanDependency("SHAREPOINT_PROJECT", new[] { "SHAREPOINTENTERPRISE" }, DependencyKind.AnyOf,
                "Graph's own 400 as quoted publicly: \"service plan fe71d6c3-... (SHAREPOINT_PROJECT) depends on the service plan(s) " +
                "5dbe027f-... (SHAREPOINTENTERPRISE)\" (a public Debug-GroupLicenseAssignment.ps1 write-up, reprocessLicenseAssignment response)."),
        };
    }
}
