using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Engine.Reporting
{
    /// <summary>
    /// The users moved over time, for the report's chart: the running count of users whose final status is Moved, at
    /// the time their result was written (direct moves and group members alike). The journal does not record why a
    /// run went quiet, so the chart marks two things it can see: the time between runs, and a stretch within a run
    /// with no user result for at least <see cref="MinimumPause"/> and <see cref="PauseFactor"/> times the run's
    /// typical (median) interval between results. Such a stretch is Graph throttling, a retry wait, or Entra processing
    /// a group; the journal does not say which.
    /// </summary>
    public sealed class MovesOverTime
    {
        public static readonly TimeSpan MinimumPause = TimeSpan.FromSeconds(2);
        public const int PauseFactor = 5;
        /// <summary>Points kept for the chart at most; more results are merged into this many steps.</summary>
        public const int MaxPoints = 400;

        private MovesOverTime(DateTimeOffset start, DateTimeOffset end, IReadOnlyList<MovesPoint> points, IReadOnlyList<TimeRange> pauses, IReadOnlyList<TimeRange> betweenRuns, int total)
        {
            Start = start;
            End = end;
            Points = points;
            Pauses = pauses;
            BetweenRuns = betweenRuns;
            Total = total;
        }

        public DateTimeOffset Start { get; }
        public DateTimeOffset End { get; }
        /// <summary>The running count of moved users, in time order; the last point's count is <see cref="Total"/>.</summary>
        public IReadOnlyList<MovesPoint> Points { get; }
        /// <summary>Stretches within a run with no user result (see the class summary).</summary>
        public IReadOnlyList<TimeRange> Pauses { get; }
        /// <summary>From a run's last record to the next run's start.</summary>
        public IReadOnlyList<TimeRange> BetweenRuns { get; }
        public int Total { get; }

        public static MovesOverTime Of(JournalReport report)
        {
            if (report == null) throw new ArgumentNullException(nameof(report));
            var runs = report.Runs;
            var start = runs[0].Started;
            var end = report.LastRecordAt ?? runs[runs.Count - 1].LastRecordAt;
            if (end < start)
            {
                end = start;
            }

            var moved = report.Records
                .Where(r => r.Kind == ReportRecordKind.User && r.Status == nameof(MoveStatus.Moved))
                .Select(r => r.Time)
                .OrderBy(t => t)
                .ToList();
            var betweenRuns = new List<TimeRange>();
            for (var i = 1; i < runs.Count; i++)
            {
                if (runs[i].Started > runs[i - 1].LastRecordAt)
                {
                    betweenRuns.Add(new TimeRange(runs[i - 1].LastRecordAt, runs[i].Started));
                }
            }

            var results = report.Records.Where(r => r.Kind == ReportRecordKind.User && r.Status != ReportStatuses.Unconfirmed).ToList();
            var pauses = runs.SelectMany(run => PausesIn(run, results.Where(r => r.Run == run.Number).Select(r => r.Time))).ToList();
            return new MovesOverTime(start, end, StepPoints(moved), pauses, betweenRuns, moved.Count);
        }

        private static IEnumerable<TimeRange> PausesIn(JournalRun run, IEnumerable<DateTimeOffset> resultTimes)
        {
            var times = resultTimes.Where(t => t >= run.Started).OrderBy(t => t).ToList();
            if (times.Count < 2)
            {
                yield break;
            }

            var gaps = new List<TimeSpan>(times.Count - 1);
            for (var i = 1; i < times.Count; i++)
            {
                gaps.Add(times[i] - times[i - 1]);
            }

            var sorted = gaps.OrderBy(g => g).ToList();
            var median = sorted[sorted.Count / 2];
            var threshold = TimeSpan.FromTicks(Math.Max(MinimumPause.Ticks, median.Ticks * PauseFactor));
            for (var i = 0; i < gaps.Count; i++)
            {
                if (gaps[i] >= threshold)
                {
                    yield return new TimeRange(times[i], times[i + 1]);
                }
            }
        }

        /// <summary>One point per result, or, past <see cref="MaxPoints"/>, the count at the end of each of that many equal time steps.</summary>
        private static IReadOnlyList<MovesPoint> StepPoints(List<DateTimeOffset> moved)
        {
            if (moved.Count <= MaxPoints)
            {
                return moved.Select((t, i) => new MovesPoint(t, i + 1)).ToList();
            }

            var first = moved[0];
            var span = moved[moved.Count - 1] - first;
            var points = new List<MovesPoint>();
            var index = 0;
            for (var step = 1; step <= MaxPoints; step++)
            {
                var until = step == MaxPoints ? moved[moved.Count - 1] : first + TimeSpan.FromTicks(span.Ticks / MaxPoints * step);
                while (index < moved.Count && moved[index] <= until)
                {
                    index++;
                }

                if (points.Count == 0 || points[points.Count - 1].Count != index)
                {
                    points.Add(new MovesPoint(until, index));
                }
            }

            return points;
        }
    }

    public readonly struct MovesPoint
    {
        public MovesPoint(DateTimeOffset time, int count)
        {
            Time = time;
            Count = count;
        }

        public DateTimeOffset Time { get; }
        public int Count { get; }
    }

    public readonly struct TimeRange
    {
        public TimeRange(DateTimeOffset from, DateTimeOffset to)
        {
            From = from;
            To = to;
        }

        public DateTimeOffset From { get; }
        public DateTimeOffset To { get; }
        public TimeSpan Duration => To - From;
    }
}
