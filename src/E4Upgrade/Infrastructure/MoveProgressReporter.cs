using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Infrastructure
{
    /// <summary>
    /// Turns the engine's counters into Write-Progress records: counts, rate, and (once the input is fully
    /// known) percent and time left. Updates are thinned to a few per second; PowerShell renders no faster.
    /// </summary>
    internal sealed class MoveProgressReporter : IProgress<MoveProgress>
    {
        private static readonly long MinTicksBetweenUpdates = Stopwatch.Frequency / 4;
        private readonly string activity;
        private readonly Action<ProgressRecord> post;
        private readonly int activityId;
        private long lastUpdate;
        private long total = -1;

        public MoveProgressReporter(string activity, Action<ProgressRecord> post, int activityId = 1)
        {
            this.activity = activity;
            this.post = post;
            this.activityId = activityId;
        }

        public void InputComplete(long totalUsers) => Interlocked.Exchange(ref total, totalUsers);

        public void Report(MoveProgress value)
        {
            var now = Stopwatch.GetTimestamp();
            var last = Interlocked.Read(ref lastUpdate);
            if (now - last < MinTicksBetweenUpdates || Interlocked.CompareExchange(ref lastUpdate, now, last) != last)
            {
                return;
            }

            var known = Interlocked.Read(ref total);
            var denominator = known >= 0 ? known : value.Received;
            var rate = value.UsersPerSecond;
            var record = new ProgressRecord(activityId, activity,
                $"{value.Completed:N0} of {denominator:N0}{(known >= 0 ? string.Empty : "+")} users: {value.Moved:N0} moved, {value.Failed:N0} failed, {rate:N1} users/s, {value.Throttled:N0} throttled");
            if (known > 0)
            {
                record.PercentComplete = (int)Math.Min(100, value.Completed * 100 / known);
                if (rate > 0)
                {
                    record.SecondsRemaining = (int)Math.Ceiling((known - value.Completed) / rate);
                }
            }

            post(record);
        }

        /// <summary>The record that closes the bar; written by the cmdlet on the pipeline thread after the run.</summary>
        public ProgressRecord Completed() => new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed };
    }
}
