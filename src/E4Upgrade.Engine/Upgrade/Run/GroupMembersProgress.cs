using System;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>Where one group's members stand while the phase waits for Entra to process them (one per member listing).</summary>
    public sealed class GroupMembersProgress
    {
        public string GroupId { get; internal set; } = "";
        /// <summary>"Name (id)".</summary>
        public string Group { get; internal set; } = "";
        public int Members { get; internal set; }
        /// <summary>Members holding every target SKU Active from the group, E4 gone.</summary>
        public int Moved { get; internal set; }
        /// <summary>Members whose error was confirmed by a read after the replication lag.</summary>
        public int Failed { get; internal set; }
        /// <summary>Members Entra has not finished yet (errors still to be confirmed included).</summary>
        public int Pending { get; internal set; }
        public TimeSpan Waited { get; internal set; }
        public TimeSpan Timeout { get; internal set; }
        /// <summary>True on the last report for the group (verified, or the timeout passed).</summary>
        public bool Finished { get; internal set; }

        public int Done => Moved + Failed;

        public override string ToString() =>
            $"{Group}: {Moved:N0} of {Members:N0} members moved, {Failed:N0} with errors, {Pending:N0} pending" +
            (Finished ? "" : $"; waiting for Entra ({Describe(Waited)} of {Describe(Timeout)})");

        private static string Describe(TimeSpan span) =>
            span < TimeSpan.FromMinutes(1) ? $"{(int)span.TotalSeconds} s"
            : span < TimeSpan.FromHours(1) ? $"{(int)span.TotalMinutes} min"
            : $"{span.TotalHours:0.#} h";
    }
}
