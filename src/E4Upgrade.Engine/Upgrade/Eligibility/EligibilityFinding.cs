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
        public const string FunctionalityLost = "FunctionalityLost";
        public const string FewerDataServices = "FewerDataServices";
        public const string MultipleE4Subscriptions = "MultipleE4Subscriptions";
        public const string TargetSameAsSource = "TargetSameAsSource";

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

        public override string ToString() => Severity + " " + Code + ": " + Message;
    }

    public sealed class EligibilityReport
    {
        public bool IsEligible { get; internal set; }
        public string SourceSku { get; internal set; } = "";
        public Guid? SourceSkuId { get; internal set; }
        public string TargetSku { get; internal set; } = "";
        public Guid? TargetSkuId { get; internal set; }
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
        /// <summary>Free target seats (prepaidUnits.enabled - consumedUnits).</summary>
        public int TargetFreeSeats { get; internal set; }
        public int BlockerCount { get; internal set; }
        public int WarningCount { get; internal set; }
    }
}
