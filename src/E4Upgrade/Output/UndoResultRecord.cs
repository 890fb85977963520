using System.Collections.Generic;
using E4Upgrade.Engine.Upgrade;

namespace E4Upgrade.Output
{
    /// <summary>What Undo-E4Upgrade did to one user or group, flat so it goes into Export-Csv as it is (lists joined with "; ").</summary>
    public sealed class UndoResultRecord
    {
        internal UndoResultRecord(UndoResult result, string journalPath)
        {
            Kind = result.Kind.ToString();
            UserId = result.Kind == UndoTargetKind.User ? result.Id : null;
            UserPrincipalName = result.Kind == UndoTargetKind.User ? result.Name : null;
            GroupId = result.Kind == UndoTargetKind.Group ? result.Id : null;
            GroupName = result.Kind == UndoTargetKind.Group ? result.Name : null;
            Status = result.Status.ToString();
            Reason = result.Reason;
            Message = result.Message;
            SourceSku = result.SourceSku;
            DisabledPlans = string.Join("; ", result.DisabledPlans);
            RemovedSkus = string.Join(" + ", result.RemovedSkus);
            Attempts = result.Attempts;
            JournalPath = journalPath;
        }

        /// <summary>User or Group.</summary>
        public string Kind { get; }
        public string? UserId { get; }
        public string? UserPrincipalName { get; }
        public string? GroupId { get; }
        public string? GroupName { get; }
        /// <summary>Undone, AlreadyUndone, WouldUndo (-WhatIf), Skipped or Failed.</summary>
        public string Status { get; }
        /// <summary>The error id for Skipped and Failed (UndoChangedSinceRun, UndoStateNotRecorded, ...).</summary>
        public string? Reason { get; }
        public string? Message { get; }
        /// <summary>The SKU given back.</summary>
        public string SourceSku { get; }
        /// <summary>The source's plans disabled again, as before the run.</summary>
        public string DisabledPlans { get; }
        /// <summary>The target SKUs removed.</summary>
        public string RemovedSkus { get; }
        public int Attempts { get; }
        public string JournalPath { get; }
    }
}
