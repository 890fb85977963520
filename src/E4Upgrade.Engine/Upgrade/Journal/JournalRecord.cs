using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>Record kinds of the journal (the "type" field). Public so other tools can read journals.</summary>
    public static class JournalRecordTypes
    {
        public const string Run = "run";
        public const string Sending = "sending";
        public const string Result = "result";
        public const string GroupSending = "groupSending";
        public const string GroupSent = "groupSent";
        public const string MemberResult = "memberResult";
        public const string GroupVerified = "groupVerified";
        public const string Completed = "completed";
        /// <summary>A plan dependency Graph stated in a 400 (absent in journals written before it was kept).</summary>
        public const string DependencyLearnt = "dependencyLearnt";
        /// <summary>Undo-E4Upgrade began giving users and groups back their source (written after its checks passed).</summary>
        public const string UndoStarted = "undoStarted";
        /// <summary>Intent: an undo write for this user or group is about to be sent.</summary>
        public const string UndoSending = "undoSending";
        /// <summary>What became of one user or group in an undo (see <see cref="UndoStatuses"/>).</summary>
        public const string UndoResult = "undoResult";
        /// <summary>An undo ran to its end.</summary>
        public const string UndoFinished = "undoFinished";
    }

    /// <summary>The statuses of a groupSent record.</summary>
    public static class GroupSentStatuses
    {
        public const string Sent = "Sent";
        public const string Failed = "Failed";
    }

    /// <summary>One line of the journal. Only the fields of its type are written. Never carries a token or secret.</summary>
    internal sealed class JournalRecord
    {
        [JsonPropertyName("type")] public string Type { get; set; } = "";
        /// <summary>On run records: <see cref="JournalFormat.Marker"/>. Absent in journals written before it was added.</summary>
        [JsonPropertyName("format")] public string? Format { get; set; }
        [JsonPropertyName("at")] public DateTimeOffset At { get; set; }

        // run
        [JsonPropertyName("version")] public int? Version { get; set; }
        [JsonPropertyName("tenant")] public string? Tenant { get; set; }
        [JsonPropertyName("sourceSku")] public string? SourceSku { get; set; }
        [JsonPropertyName("sourceSkuId")] public Guid? SourceSkuId { get; set; }
        [JsonPropertyName("targetSku")] public string? TargetSku { get; set; }
        [JsonPropertyName("targetSkuId")] public Guid? TargetSkuId { get; set; }
        [JsonPropertyName("targetAddOnSkuIds")] public Guid[]? TargetAddOnSkuIds { get; set; }
        [JsonPropertyName("optionsHash")] public string? OptionsHash { get; set; }
        [JsonPropertyName("started")] public DateTimeOffset? Started { get; set; }
        /// <summary>Absent in journals written before runs were named.</summary>
        [JsonPropertyName("runId")] public string? RunId { get; set; }
        /// <summary>The blockers the run was told to accept (-AcceptFinding); absent when none, and in older journals.</summary>
        [JsonPropertyName("acceptedFindings")] public string[]? AcceptedFindings { get; set; }
        /// <summary>The operating-system account and machine that ran it; absent in older journals.</summary>
        [JsonPropertyName("ranBy")] public string? RanBy { get; set; }

        // sending, result, memberResult
        [JsonPropertyName("userId")] public string? UserId { get; set; }
        [JsonPropertyName("upn")] public string? UserPrincipalName { get; set; }
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("reason")] public string? Reason { get; set; }
        [JsonPropertyName("message")] public string? Message { get; set; }
        [JsonPropertyName("disabledPlansBefore")] public IReadOnlyList<string>? DisabledPlansBefore { get; set; }
        [JsonPropertyName("disabledPlansAfter")] public IReadOnlyList<string>? DisabledPlansAfter { get; set; }
        [JsonPropertyName("droppedPlans")] public IReadOnlyList<string>? DroppedPlans { get; set; }
        [JsonPropertyName("attempts")] public int? Attempts { get; set; }
        /// <summary>
        /// Moved results and groupSending: the source's disabled plans, by id, as held before the write (empty when none).
        /// Absent in journals written before undo: Undo-E4Upgrade then refuses the user (UndoStateNotRecorded).
        /// </summary>
        [JsonPropertyName("sourceDisabledPlanIds")] public Guid[]? SourceDisabledPlanIds { get; set; }
        /// <summary>
        /// Moved results: the target SKUs the user held directly before the write, with their disabled plans by id (empty
        /// when none), so that Undo-E4Upgrade gives them back as they were instead of removing them.
        /// </summary>
        [JsonPropertyName("targetsHeldBefore")] public HeldTargetRecord[]? TargetsHeldBefore { get; set; }
        /// <summary>Results: the redundant add-ons removed in the same call (-RemoveRedundantAddOns), by part number.</summary>
        [JsonPropertyName("removedAddOns")] public IReadOnlyList<string>? RemovedAddOns { get; set; }

        // group records (groupId also on memberResult; disabledPlansBefore/After also on groupSending)
        [JsonPropertyName("groupId")] public string? GroupId { get; set; }
        [JsonPropertyName("groupName")] public string? GroupName { get; set; }
        [JsonPropertyName("members")] public int? Members { get; set; }
        [JsonPropertyName("failed")] public int? Failed { get; set; }
        [JsonPropertyName("timedOut")] public bool? TimedOut { get; set; }

        // dependencyLearnt: the dependent plan, the plans Graph named, and "AnyOf" or "AllOf"
        [JsonPropertyName("plan")] public Guid? Plan { get; set; }
        [JsonPropertyName("requires")] public Guid[]? Requires { get; set; }
        [JsonPropertyName("kind")] public string? Kind { get; set; }

        // completed
        [JsonPropertyName("moved")] public long? Moved { get; set; }
        [JsonPropertyName("alreadyMoved")] public long? AlreadyMoved { get; set; }
        [JsonPropertyName("skipped")] public long? Skipped { get; set; }
        [JsonPropertyName("seconds")] public double? Seconds { get; set; }
    }

    /// <summary>A target SKU a user held directly before a run's write, and its disabled plans then.</summary>
    internal sealed class HeldTargetRecord
    {
        [JsonPropertyName("skuId")] public Guid SkuId { get; set; }
        [JsonPropertyName("disabledPlanIds")] public Guid[] DisabledPlanIds { get; set; } = Array.Empty<Guid>();
    }
}
