using System;
using System.Collections.Generic;

namespace E4Upgrade.Engine.Upgrade
{
    public enum UndoTargetKind
    {
        User,
        Group,
    }

    public enum UndoStatus
    {
        /// <summary>The source came back and the target went, in one assignLicense call.</summary>
        Undone,
        /// <summary>Already holds what it held before the run (an earlier undo whose answer was not recorded, or a change by hand): nothing sent.</summary>
        AlreadyUndone,
        /// <summary>-WhatIf: would be given back its source.</summary>
        WouldUndo,
        /// <summary>Not changed: see Reason (changed since the run, not recorded, not moved by the run).</summary>
        Skipped,
        /// <summary>The write was refused or never answered within its attempts; the next undo tries again.</summary>
        Failed,
    }

    /// <summary>The statuses an undo record carries in the journal and the report: <see cref="UndoStatus"/> names, and Unconfirmed.</summary>
    public static class UndoStatuses
    {
        /// <summary>An undo write was sent and the undo stopped before its answer was recorded.</summary>
        public const string Unconfirmed = "Unconfirmed";

        internal static bool IsDone(string? status) =>
            string.Equals(status, nameof(UndoStatus.Undone), StringComparison.Ordinal) || string.Equals(status, nameof(UndoStatus.AlreadyUndone), StringComparison.Ordinal);
    }

    /// <summary>What Undo-E4Upgrade did (or with -WhatIf would do) to one user or one group.</summary>
    public sealed class UndoResult
    {
        public UndoTargetKind Kind { get; set; }
        /// <summary>The user's or group's object id (or, for a user named by -User and not in the journal, as given).</summary>
        public string Id { get; set; } = "";
        /// <summary>The user's UPN or the group's name, where known.</summary>
        public string? Name { get; set; }
        public UndoStatus Status { get; set; }
        /// <summary>The error id for Skipped and Failed; null otherwise.</summary>
        public string? Reason { get; set; }
        public string? Message { get; set; }
        /// <summary>The source SKU given back.</summary>
        public string SourceSku { get; set; } = "";
        /// <summary>The source's plans disabled again, as before the run.</summary>
        public IReadOnlyList<string> DisabledPlans { get; set; } = Array.Empty<string>();
        /// <summary>The target SKUs removed.</summary>
        public IReadOnlyList<string> RemovedSkus { get; set; } = Array.Empty<string>();
        /// <summary>assignLicense calls sent for it by this undo.</summary>
        public int Attempts { get; set; }
    }
}
