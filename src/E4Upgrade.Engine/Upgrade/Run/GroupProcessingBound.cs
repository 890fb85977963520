using System;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// How long Entra may take to process a group's members, and so how long the group phase waits by default.
    /// Microsoft publishes no processing rate. Its only figure (Microsoft Entra "licensing-group-advanced", "Group-based
    /// licensing additional scenarios") is that processing which takes more than 24 hours for a group of up to 60,000 users is a support case:
    /// up to that point slow processing is normal, past it something is wrong and an administrator has to act. So the
    /// default wait is that bound scaled to the group's members (1.44 s per member), never below
    /// <see cref="MinimumWait"/>, because processing starts only after a delay of its own ("could take time") and small
    /// groups would otherwise get seconds. A run that stops waiting loses nothing: the next run verifies the group.
    /// </summary>
    public static class GroupProcessingBound
    {
        /// <summary>Microsoft's support-case threshold: 24 hours ...</summary>
        public static readonly TimeSpan SupportCaseAfter = TimeSpan.FromHours(24);

        /// <summary>... for a group of up to 60,000 users.</summary>
        public const int SupportCaseMembers = 60_000;

        /// <summary>
        /// The shortest default wait: the engine's earlier fixed default, which the realistic simulator profile's
        /// 10 s start and 20 members/s (our choice, no published figure) stay well inside for groups up to 2,500 members,
        /// where the scaled bound takes over.
        /// </summary>
        public static readonly TimeSpan MinimumWait = TimeSpan.FromMinutes(60);

        /// <summary>Microsoft's bound scaled to <paramref name="members"/> (0 for none).</summary>
        public static TimeSpan UpTo(long members) =>
            TimeSpan.FromTicks((long)(SupportCaseAfter.Ticks * (Math.Max(0, members) / (double)SupportCaseMembers)));

        /// <summary>The default wait for one group after its swap: <see cref="UpTo"/>, at least <see cref="MinimumWait"/>.</summary>
        public static TimeSpan DefaultTimeout(long members)
        {
            var bound = UpTo(members);
            return bound > MinimumWait ? bound : MinimumWait;
        }
    }
}
