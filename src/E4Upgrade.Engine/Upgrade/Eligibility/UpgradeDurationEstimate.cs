using System;
using E4Upgrade.Engine.Pacing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// How long an upgrade should take. The seed warns it "can take from minutes to hours". Direct users move at
    /// Graph's write quota for one app in one tenant (3,000 writes per 2 min 30 s, doc section 10): the first window's
    /// writes go at the pacer's starting rate, the rest at the sustained 20 per second; a user without a usage location
    /// costs one more write. Entra processes group members on its own schedule, which no source quantifies; its only
    /// published figure is that more than 24 hours for up to 60,000 users calls for a support ticket, so group
    /// processing is given as that bound, scaled to the members (<see cref="GroupProcessingBound"/>), and labelled an estimate.
    /// </summary>
    public sealed class UpgradeDurationEstimate
    {
        private static readonly TimeSpan QuotaWindow = TimeSpan.FromSeconds(150);

        private UpgradeDurationEstimate(TimeSpan direct, TimeSpan groupsUpTo, long writes, long groupMembers)
        {
            DirectUsers = direct;
            GroupProcessingUpTo = groupsUpTo;
            Writes = writes;
            GroupMembers = groupMembers;
        }

        /// <summary>Expected time for the direct users' writes.</summary>
        public TimeSpan DirectUsers { get; }
        /// <summary>Entra's group processing: an upper estimate, not a measurement.</summary>
        public TimeSpan GroupProcessingUpTo { get; }
        public long Writes { get; }
        public long GroupMembers { get; }

        public static UpgradeDurationEstimate For(long directUsers, long usageLocationWrites, long groupMembers, PacerSettings? pacer = null)
        {
            pacer ??= new PacerSettings();
            var writes = Math.Max(0, directUsers) + Math.Max(0, usageLocationWrites);
            var sustained = pacer.WriteLimit / QuotaWindow.TotalSeconds;
            var burst = Math.Min(writes, pacer.WriteLimit);
            var seconds = burst / pacer.InitialWritesPerSecond + (writes - burst) / sustained;
            var groups = GroupProcessingBound.UpTo(groupMembers);
            return new UpgradeDurationEstimate(TimeSpan.FromSeconds(Math.Ceiling(seconds)), groups, writes, groupMembers);
        }

        public override string ToString()
        {
            var text = $"direct users: about {Describe(DirectUsers)} ({Writes:N0} writes at Graph's write quota)";
            return GroupMembers > 0
                ? text + $"; group processing by Entra: estimate up to {Describe(GroupProcessingUpTo)} for {GroupMembers:N0} members (no published rate; Microsoft asks for a ticket beyond 24 h for 60,000 users)"
                : text;
        }

        private static string Describe(TimeSpan span) =>
            span < TimeSpan.FromMinutes(1) ? $"{Math.Max(1, (int)Math.Ceiling(span.TotalSeconds))} s"
            : span < TimeSpan.FromHours(1) ? $"{(int)Math.Ceiling(span.TotalMinutes)} min"
            : $"{span.TotalHours:0.#} h";
    }
}
