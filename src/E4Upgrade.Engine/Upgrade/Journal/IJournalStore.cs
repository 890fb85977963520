using System;
using System.IO;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// Where a journal's bytes live. The journal's rules (format, replay, resume, cut-back) never touch a file system
    /// call; a store only opens. <see cref="FileJournalStore"/> is the one store there is; another (a blob) goes beside it.
    /// </summary>
    internal interface IJournalStore
    {
        /// <summary>What messages name the journal by (the full path for a file).</summary>
        string Location { get; }

        /// <summary>False when there is nothing there yet (a new journal).</summary>
        bool Exists();

        /// <summary>A read-only view from the start, without a lock (a report while a run holds the journal).</summary>
        Stream OpenForReading();

        /// <summary>
        /// Opens the journal for one run, exclusively for the run's lifetime, without changing its bytes or its
        /// permissions: the caller reads it first, and only a journal is then adopted (<see cref="IJournalLease.Adopt"/>).
        /// </summary>
        IJournalLease OpenForRun();
    }

    /// <summary>A run's exclusive hold on a journal.</summary>
    internal interface IJournalLease : IDisposable
    {
        /// <summary>Reads from the start and appends; every write reaches the store when Flush returns (no write buffer).</summary>
        Stream Stream { get; }

        /// <summary>Makes the journal the run's own (readable by its owner only); called once it was read as a journal.</summary>
        void Adopt();
    }
}
