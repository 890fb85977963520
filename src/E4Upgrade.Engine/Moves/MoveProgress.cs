using System;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>Counters reported while a move runs.</summary>
    public sealed class MoveProgress
    {
        public long Received { get; set; }
        public long Completed { get; set; }
        public long Moved { get; set; }
        public long Failed { get; set; }
        public long Throttled { get; set; }
        public TimeSpan Elapsed { get; set; }
        public double UsersPerSecond => Elapsed.TotalSeconds > 0 ? Completed / Elapsed.TotalSeconds : 0;
        public long AlreadyMoved { get; set; }
        public long Skipped { get; set; }
        /// <summary>Input items naming a user already taken (same id or UPN, any case); they get no result of their own.</summary>
        public long Duplicates { get; set; }
        /// <summary>assignLicense and usage-location writes sent, retries included.</summary>
        public long WritesSent { get; set; }
        /// <summary>The pacer's current write rate (writes per second).</summary>
        public double WriteRate { get; set; }
        /// <summary>Graph's latest x-ms-throttle-limit-percentage; null while below 0.8.</summary>
        public double? LimitPercentage { get; set; }
    }
}
