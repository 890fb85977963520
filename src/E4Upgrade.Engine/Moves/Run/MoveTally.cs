using System;
using System.Collections.Generic;
using E4Upgrade.Engine.Pacing;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>Results waiting to be yielded, the run's counters, the observer's completion call and progress reports.</summary>
    internal sealed class MoveTally
    {
        private readonly Queue<MoveResult> _results = new Queue<MoveResult>();
        private readonly MoveProgress _counts = new MoveProgress();
        private readonly IMoveObserver? _observer;
        private readonly IProgress<MoveProgress>? _progress;
        private readonly TimeSpan _progressInterval;
        private readonly TimeSpan _startedAt;
        private TimeSpan _lastProgressAt = TimeSpan.MinValue;

        public MoveTally(IMoveObserver? observer, IProgress<MoveProgress>? progress, TimeSpan progressInterval, TimeSpan startedAt)
        {
            _observer = observer;
            _progress = progress;
            _progressInterval = progressInterval;
            _startedAt = startedAt;
        }

        /// <summary>Users taken from the input and not yet reported or dropped as duplicates.</summary>
        public int Active { get; private set; }

        public bool HasResults => _results.Count > 0;

        public void Received()
        {
            _counts.Received++;
            Active++;
        }

        public void WritesSent(int count) => _counts.WritesSent += count;

        public void Throttled() => _counts.Throttled++;

        public void Report(PendingUser user, MoveResult result)
        {
            if (result.Attempts == 0)
            {
                result.Attempts = user.AssignAttempts;
            }

            Active--;
            _counts.Completed++;
            switch (result.Status)
            {
                case MoveStatus.Moved:
                    _counts.Moved++;
                    break;
                case MoveStatus.AlreadyMoved:
                    _counts.AlreadyMoved++;
                    break;
                case MoveStatus.Skipped:
                    _counts.Skipped++;
                    break;
                case MoveStatus.Failed:
                    _counts.Failed++;
                    break;
            }

            _results.Enqueue(result);
            _observer?.Completed(result);
        }

        /// <summary>
        /// A second input row for a user already taken: never written again, but reported, so every input row has
        /// its result row. Not passed to the observer: the journal keeps the first row's result.
        /// </summary>
        public void Duplicate(PendingUser user)
        {
            Active--;
            _counts.Duplicates++;
            var named = user.User;
            _results.Enqueue(new MoveResult
            {
                UserId = named?.Id ?? user.Key,
                UserPrincipalName = named?.UserPrincipalName ?? user.InputUserPrincipalName ?? (user.Key.Contains("@") ? user.Key : ""),
                Status = MoveStatus.Skipped,
                Reason = ErrorIds.DuplicateInput,
                Message = $"'{user.Key}' names the same user as an earlier input row; the user is moved once and that row carries the result.",
            });
        }

        public List<MoveResult> TakeResults()
        {
            var results = new List<MoveResult>(_results);
            _results.Clear();
            return results;
        }

        public void ReportProgress(TimeSpan now, AdaptiveWritePacer pacer, bool force)
        {
            if (_progress == null)
            {
                return;
            }

            if (!force && _lastProgressAt != TimeSpan.MinValue && now - _lastProgressAt < _progressInterval)
            {
                return;
            }

            _lastProgressAt = now;
            _progress.Report(new MoveProgress
            {
                Received = _counts.Received,
                Completed = _counts.Completed,
                Moved = _counts.Moved,
                Failed = _counts.Failed,
                Throttled = _counts.Throttled,
                AlreadyMoved = _counts.AlreadyMoved,
                Skipped = _counts.Skipped,
                Duplicates = _counts.Duplicates,
                WritesSent = _counts.WritesSent,
                WriteRate = pacer.WritesPerSecond,
                LimitPercentage = pacer.LimitPercentage,
                Elapsed = now - _startedAt,
            });
        }
    }
}
