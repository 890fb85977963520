using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>Results, counters and progress.</summary>
    internal sealed partial class MoveRun
    {
        // ---------------------------------------------------------------- results

        private void Report(PendingUser user, MoveResult result)
        {
            if (result.Attempts == 0)
            {
                result.Attempts = user.AssignAttempts;
            }

            _active--;
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
        private void Duplicate(PendingUser user, UserLicenses? resolved = null)
        {
            _active--;
            _counts.Duplicates++;
            var named = resolved ?? user.User;
            _results.Enqueue(new MoveResult
            {
                UserId = named?.Id ?? user.Key,
                UserPrincipalName = named?.UserPrincipalName ?? user.InputUserPrincipalName ?? (user.Key.Contains("@") ? user.Key : ""),
                Status = MoveStatus.Skipped,
                Reason = ErrorIds.DuplicateInput,
                Message = $"'{user.Key}' names the same user as an earlier input row; the user is moved once and that row carries the result.",
            });
        }

        private bool MarkSeen(string userId) =>
            Guid.TryParse(userId, out var id) ? _seenUserIds.Add(id) : _seenOtherUserIds.Add(userId);

        private void ReleaseSeat(PendingUser user)
        {
            if (user.SeatReserved)
            {
                user.SeatReserved = false;
                _seats.Release();
            }
        }

        private TimeSpan Backoff(int attempt)
        {
            var factor = Math.Pow(2, Math.Max(0, attempt - 1));
            var delay = TimeSpan.FromTicks((long)Math.Min(_settings.RetryMaxDelay.Ticks, _settings.RetryBaseDelay.Ticks * factor));
            return delay;
        }

        private void ReportProgress(bool force)
        {
            if (_progress == null)
            {
                return;
            }

            var now = Now;
            if (!force && _lastProgressAt != TimeSpan.MinValue && now - _lastProgressAt < _settings.ProgressInterval)
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
                WriteRate = _pacer.WritesPerSecond,
                LimitPercentage = _pacer.LimitPercentage,
                Elapsed = now - _startedAt,
            });
        }
    }
}
