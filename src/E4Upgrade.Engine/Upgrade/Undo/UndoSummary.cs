using System;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>The end of one Undo-E4Upgrade: counts over the users and groups it looked at. Property names are public (CSV columns).</summary>
    public sealed class UndoSummary
    {
        public string JournalPath { get; set; } = "";
        /// <summary>This undo's id in the journal; null with -WhatIf (nothing written).</summary>
        public string? RunId { get; set; }
        public bool PlanOnly { get; set; }
        public string SourceSku { get; set; } = "";
        /// <summary>The target the run moved to (a compound target's SKUs joined with " + ").</summary>
        public string TargetSku { get; set; } = "";
        public int Undone { get; set; }
        public int AlreadyUndone { get; set; }
        public int WouldUndo { get; set; }
        public int Skipped { get; set; }
        public int Failed { get; set; }
        /// <summary>Of the counts above, groups.</summary>
        public int Groups { get; set; }
        /// <summary>Users and groups an earlier undo of this journal finished (not read or written again).</summary>
        public int DoneEarlier { get; set; }
        /// <summary>Seats of the source the undo takes: users and group members given it back who hold it in no other way.</summary>
        public int SourceSeatsNeeded { get; set; }
        public int SourceSeatsFree { get; set; }
        public long Throttled { get; set; }
        public TimeSpan Duration { get; set; }
        /// <summary>Nothing failed (skipped users and groups were left as they are, on purpose).</summary>
        public bool Succeeded => Failed == 0 && SourceSeatsNeeded <= SourceSeatsFree;

        internal void Count(UndoResult result)
        {
            if (result.Kind == UndoTargetKind.Group)
            {
                Groups++;
            }

            switch (result.Status)
            {
                case UndoStatus.Undone: Undone++; break;
                case UndoStatus.AlreadyUndone: AlreadyUndone++; break;
                case UndoStatus.WouldUndo: WouldUndo++; break;
                case UndoStatus.Skipped: Skipped++; break;
                case UndoStatus.Failed: Failed++; break;
            }
        }
    }
}
