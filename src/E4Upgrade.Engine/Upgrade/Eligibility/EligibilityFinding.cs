using System;
using System.Collections.Generic;

namespace E4Upgrade.Engine.Upgrade
{
    public enum FindingSeverity
    {
        /// <summary>The upgrade refuses to start unless the finding's code is explicitly accepted.</summary>
        Blocker,
        Warning,
    }

    /// <summary>Finding codes are public API: tests and -AcceptedFindings use them exactly.</summary>
    public static class FindingCodes
    {
        public const string NoE4Subscription = "NoE4Subscription";
        public const string E4NotActive = "E4NotActive";
        public const string TargetNotFound = "TargetNotFound";
        public const string TargetNotActive = "TargetNotActive";
        public const string TargetIsTrial = "TargetIsTrial";
        public const string InsufficientTargetSeats = "InsufficientTargetSeats";
        public const string UsageLocationMissing = "UsageLocationMissing";
        public const string E4AssignedByGroup = "E4AssignedByGroup";
        public const string DisabledPlansWithoutCounterpart = "DisabledPlansWithoutCounterpart";
        /// <summary>Blocker: Exchange, SharePoint/OneDrive, Teams or the Office apps with no counterpart in the target.</summary>
        public const string ServiceLoss = "ServiceLoss";
        /// <summary>Warning: any other enabled plan with no counterpart in the target.</summary>
        public const string FeatureLoss = "FeatureLoss";
        /// <summary>Warning: users hold an add-on SKU whose every plan the target includes.</summary>
        public const string RedundantAddOns = "RedundantAddOns";
        /// <summary>Warning: target plans an admin activates (PendingActivation, PendingInput); never a blocker.</summary>
        public const string PlansNeedActivation = "PlansNeedActivation";
        /// <summary>Warning: carried-over disabled plans leave plans whose base is disabled; those are disabled too.</summary>
        public const string PlanDependencyAdjusted = "PlanDependencyAdjusted";
        /// <summary>
        /// Warning: group members for whom Graph would refuse the target (MutuallyExclusiveViolation, DependencyViolation,
        /// ProhibitedInUsageLocationViolation). A group swap would leave them with neither license, so the run does not
        /// swap such a group unless this code is accepted (-AcceptFinding).
        /// </summary>
        public const string GroupMemberConflicts = "GroupMemberConflicts";
        public const string MultipleE4Subscriptions = "MultipleE4Subscriptions";
        public const string TargetSameAsSource = "TargetSameAsSource";
        /// <summary>Blocker: a target SKU applies to something other than users (a device SKU); it cannot be assigned to a user.</summary>
        public const string TargetNotForUsers = "TargetNotForUsers";
        /// <summary>
        /// Blocker: the journal holds a plan dependency (learnt from Graph by an earlier run, or written by hand) that would
        /// switch off a core service (Exchange, SharePoint/OneDrive, Teams, the Office apps) for users whose required plans
        /// are disabled. It is applied only when accepted (-AcceptFinding); never silently.
        /// </summary>
        public const string LearntRuleDisablesCoreService = "LearntRuleDisablesCoreService";
        /// <summary>Blocker: the token lacks a permission the run will need (one finding per permission, named in the message).</summary>
        public const string MissingPermission = "MissingPermission";
        /// <summary>Warning: a delegated token's scopes were checked, the signed-in user's directory role cannot be.</summary>
        public const string DelegatedRoleNotChecked = "DelegatedRoleNotChecked";

        /// <summary>Findings about the target's readiness, which waiting for the target (-WaitForTarget) can clear.</summary>
        public static readonly IReadOnlyList<string> TargetReadiness = new[] { TargetNotFound, TargetNotActive, InsufficientTargetSeats };
    }

    public sealed class EligibilityFinding
    {
        /// <summary>How many users or groups a finding names at most; AffectedCount has the full number.</summary>
        public const int MaxListed = 100;

        public string Code { get; internal set; } = "";
        public FindingSeverity Severity { get; internal set; }
        public string Message { get; internal set; } = "";
        /// <summary>UPNs, at most <see cref="MaxListed"/>.</summary>
        public IReadOnlyList<string> AffectedUsers { get; internal set; } = Array.Empty<string>();
        /// <summary>Group display names with ids ("Name (id)"), at most <see cref="MaxListed"/>.</summary>
        public IReadOnlyList<string> AffectedGroups { get; internal set; } = Array.Empty<string>();
        /// <summary>The full number of affected users (or groups when only groups are affected).</summary>
        public int AffectedCount { get; internal set; }
        /// <summary>The service plans the finding is about, by name.</summary>
        public IReadOnlyList<string> Plans { get; internal set; } = Array.Empty<string>();
        /// <summary>The SKUs the finding is about or suggests (by part number): the SKU that ran short, the add-on that would supply a lost plan, the redundant add-on.</summary>
        public IReadOnlyList<string> Skus { get; internal set; } = Array.Empty<string>();

        public override string ToString() => Severity + " " + Code + ": " + Message;
    }

    public sealed class EligibilityReport
    {
        public bool IsEligible { get; internal set; }
        public string SourceSku { get; internal set; } = "";
        public Guid? SourceSkuId { get; internal set; }
        /// <summary>The target as "SUITE + ADDON" (one part number for a single SKU).</summary>
        public string TargetSku { get; internal set; } = "";
        /// <summary>The suite's skuId.</summary>
        public Guid? TargetSkuId { get; internal set; }
        /// <summary>Every SKU of the target, the suite first.</summary>
        public IReadOnlyList<string> TargetSkus { get; internal set; } = Array.Empty<string>();
        public IReadOnlyList<EligibilityFinding> Findings { get; internal set; } = Array.Empty<EligibilityFinding>();
        /// <summary>Users holding E4 through a direct assignment (they may also inherit it).</summary>
        public int DirectE4Users { get; internal set; }
        /// <summary>Users holding E4 through at least one group.</summary>
        public int GroupE4Users { get; internal set; }
        /// <summary>Users holding E4 at all, each counted once.</summary>
        public int TotalE4Users { get; internal set; }
        public int E4Groups { get; internal set; }
        /// <summary>E4 holders who do not yet hold the target: the seats the upgrade needs.</summary>
        public int UsersNeedingTargetSeat { get; internal set; }
        public bool TargetAvailable { get; internal set; }
        /// <summary>Free seats of the suite (prepaidUnits.enabled - consumedUnits).</summary>
        public int TargetFreeSeats { get; internal set; }
        /// <summary>Per target SKU: seats needed and free.</summary>
        public IReadOnlyList<TargetSeats> TargetSeats { get; internal set; } = Array.Empty<TargetSeats>();
        /// <summary>Expected time for the direct users at Graph's write quota.</summary>
        public TimeSpan ExpectedDuration { get; internal set; }
        /// <summary>Entra's processing of the group members: an upper estimate (no published rate).</summary>
        public TimeSpan GroupProcessingEstimate { get; internal set; }
        /// <summary>The duration estimate in words, with how it was made.</summary>
        public string DurationEstimate { get; internal set; } = "";
        public int BlockerCount { get; internal set; }
        public int WarningCount { get; internal set; }
    }

    /// <summary>Seats of one target SKU: how many the upgrade needs and how many are free.</summary>
    public sealed class TargetSeats
    {
        public string Sku { get; internal set; } = "";
        public Guid SkuId { get; internal set; }
        public int Needed { get; internal set; }
        public int Free { get; internal set; }

        public override string ToString() => $"{Sku}: {Needed} needed, {Free} free";
    }
}
