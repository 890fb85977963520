using System;
using System.Collections.Generic;

namespace E4Upgrade.Engine.Upgrade
{
    public sealed class UndoOptions
    {
        /// <summary>The journal of the run to reverse.</summary>
        public string JournalPath { get; set; } = "";
        /// <summary>The session's tenant id: the journal is reversed only in its own tenant.</summary>
        public string? TenantId { get; set; }
        /// <summary>Reverse only these users (object ids or UPNs); null with <see cref="Groups"/> null: everyone the journal records as moved.</summary>
        public IReadOnlyCollection<string>? Users { get; set; }
        /// <summary>Reverse only these groups (object ids); null with <see cref="Users"/> null: every group the journal records as swapped.</summary>
        public IReadOnlyCollection<string>? Groups { get; set; }
        /// <summary>-WhatIf: read the journal and the tenant, report the plan, write nothing (not even the journal).</summary>
        public bool PlanOnly { get; set; }
        /// <summary>Sends per user or group write at most (429s, no answer, 5xx), as a group swap's.</summary>
        public int WriteAttempts { get; set; } = 6;
        /// <summary>How to reach a journal in Azure Blob Storage (the session's credential, or the URL's SAS); null for a file.</summary>
        public JournalAccess? JournalAccess { get; set; }
        /// <summary>Written to the undo's start record for the report.</summary>
        public string? RanBy { get; set; }

        internal bool Subset => Users != null || Groups != null;
    }

    /// <summary>What an undo tells its caller while it runs (the cmdlet relays it to PowerShell's streams).</summary>
    public interface IUndoReporter
    {
        void Result(UndoResult result);
        void Progress(int done, int total, string status);
        void Warning(string message);
        void Verbose(string message);
    }

    internal sealed class NullUndoReporter : IUndoReporter
    {
        public void Result(UndoResult result)
        {
        }

        public void Progress(int done, int total, string status)
        {
        }

        public void Warning(string message)
        {
        }

        public void Verbose(string message)
        {
        }
    }
}
