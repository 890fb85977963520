using System;
using System.Collections.Generic;
using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Engine.Reporting
{
    /// <summary>
    /// What an admin does about a user or group the journal does not leave moved, by its reason (error id) or status.
    /// Every step ends the same way where it can: the same Start-E4Upgrade command again, since the journal makes
    /// it skip everything already done.
    /// </summary>
    public static class FailureNextSteps
    {
        private const string RunAgain = "Run the same Start-E4Upgrade command again: the journal skips everything already done.";

        private static readonly Dictionary<string, string> ByReason = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [ErrorIds.UsageLocationMissing] = "Set the user's usage location (Update-MgUser -UsageLocation), or pass -UsageLocation to Start-E4Upgrade. " + RunAgain,
            [ErrorIds.InvalidUsageLocation] = "Set a valid two-letter usage location on the user (Update-MgUser -UsageLocation). " + RunAgain,
            [ErrorIds.InsufficientLicenses] = "Buy or free seats of the target (Get-E4Subscription shows them). " + RunAgain,
            [ErrorIds.InheritedFromGroup] = "The user holds the source only through a group: the group phase moves it; nothing to do for the user.",
            [ErrorIds.SourceLicenseNotAssigned] = "The user no longer holds the source SKU: nothing to move.",
            [ErrorIds.UserNotFound] = "The user no longer exists (or was never found): nothing to move unless the user is restored.",
            [ErrorIds.UserDeleted] = "The user was deleted during the run: nothing to move unless the user is restored.",
            [ErrorIds.InvalidDisabledPlan] = "Correct -DisabledPlans (Get-E4Subscription lists the target's plans). " + RunAgain,
            [ErrorIds.PlanDependencyRejected] = "Graph refused the disabled plans (a plan depends on one that is disabled): enable the base plan or pass -DisabledPlans. " + RunAgain,
            [ErrorIds.LicenseConflict] = "Graph refused the target next to another license the user holds: remove the conflicting license (the message names it). " + RunAgain,
            [ErrorIds.AccessDenied] = "Grant the signed-in account or app LicenseAssignment.ReadWrite.All (or User.ReadWrite.All), Connect-E4Upgrade again. " + RunAgain,
            [ErrorIds.TokenExpired] = "Sign in again with Connect-E4Upgrade. " + RunAgain,
            [ErrorIds.RetriesExhausted] = "Graph kept refusing or throttling this write. " + RunAgain,
            [ErrorIds.GraphError] = "Read the message for Graph's error. " + RunAgain,
            [ErrorIds.Cancelled] = "The run was stopped before this user was decided. " + RunAgain,
            [ErrorIds.GroupProcessingTimeout] = "Entra was still processing the group's members. Run the same Start-E4Upgrade command again later to verify them.",
            [ErrorIds.DuplicateInput] = "The user was given twice; the first one counts. Nothing to do.",
            ["NotConfirmed"] = "Declined at the -Confirm prompt. Run again and confirm to move the user.",
        };

        public static string For(JournalReportRecord record)
        {
            if (record == null) throw new ArgumentNullException(nameof(record));
            if (!string.IsNullOrEmpty(record.Reason) && ByReason.TryGetValue(record.Reason!, out var step))
            {
                return step;
            }

            switch (record.Status)
            {
                case ReportStatuses.Unconfirmed:
                    return "A write was sent and its answer was not recorded. " + RunAgain + " It reads the user or group before sending anything.";
                case ReportStatuses.Sent:
                case ReportStatuses.TimedOut:
                    return "The members were not verified yet. Run the same Start-E4Upgrade command again to verify them.";
                case ReportStatuses.SwappedWithErrors:
                    return "The group was swapped; the members listed as Failed below carry their own reason. Fix those members (Get-E4UpgradeReport shows each). " + RunAgain;
                case nameof(MoveStatus.Skipped):
                    return "Read the message for why the user was skipped.";
                default:
                    return "Read the message, fix the cause. " + RunAgain;
            }
        }
    }
}
