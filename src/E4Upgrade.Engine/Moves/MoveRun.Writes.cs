using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>Answers to writes: success, retry after Retry-After, re-read when in doubt, per-user failure, seats, stop.</summary>
    internal sealed partial class MoveRun
    {
        // ---------------------------------------------------------------- writes

        private void OnBatchCompleted(BatchInFlight batch)
        {
            IReadOnlyList<WriteOutcome> outcomes;
            try
            {
                outcomes = batch.Task.GetAwaiter().GetResult();
                _pacer.Answered(batch.Ticket, outcomes);
            }
            catch (Exception ex)
            {
                _pacer.Unanswered(batch.Ticket);
                if (IsStopError(ex))
                {
                    Stop(ex);
                    return;
                }

                // The whole request failed (connection dropped, timeout, outer 5xx): every item's outcome is unknown.
                outcomes = batch.Requests.Select(r => new WriteOutcome { RequestId = r.RequestId, Status = 0, ErrorMessage = ex.Message }).ToList();
            }

            var byId = new Dictionary<string, WriteOutcome>(StringComparer.OrdinalIgnoreCase);
            foreach (var outcome in outcomes)
            {
                byId[outcome.RequestId] = outcome;
            }

            for (var i = 0; i < batch.Users.Count; i++)
            {
                var request = batch.Requests[i];
                if (!byId.TryGetValue(request.RequestId, out var outcome))
                {
                    outcome = new WriteOutcome { RequestId = request.RequestId, Status = 0, ErrorMessage = "No answer for this request in the $batch response." };
                }

                OnWriteAnswered(batch.Users[i], request.Kind, outcome);
            }
        }

        private void OnWriteAnswered(PendingUser user, WriteKind kind, WriteOutcome outcome)
        {
            var outcomeKind = WriteOutcomeClassifier.Classify(outcome, out var errorId);
            if (outcomeKind != OutcomeKind.Succeeded)
            {
                user.LastError = WriteOutcomeClassifier.Describe(outcome);
            }

            switch (outcomeKind)
            {
                case OutcomeKind.Succeeded when kind == WriteKind.SetUsageLocation:
                    user.Decision!.NeedsUsageLocation = false;
                    user.User!.UsageLocation = _plan.UsageLocation;
                    RequeueWrite(user, TimeSpan.Zero);
                    return;
                case OutcomeKind.Succeeded:
                    Report(user, _make.Moved(user, null));
                    return;
                case OutcomeKind.Throttled:
                    _counts.Throttled++;
                    RetryWrite(user, kind, outcome.RetryAfter ?? TimeSpan.FromSeconds(1));
                    return;
                case OutcomeKind.Unknown when kind == WriteKind.SetUsageLocation:
                    // Setting the usage location again is harmless: no re-read needed.
                    RetryWrite(user, kind, outcome.RetryAfter ?? Backoff(user.UsageLocationAttempts));
                    return;
                case OutcomeKind.Unknown:
                    if (_stopError != null)
                    {
                        return;
                    }

                    if (_cancelling)
                    {
                        Report(user, _make.Cancelled(user));
                        return;
                    }

                    user.Stage = PendingStage.Verify;
                    user.RetryAfterHint = outcome.RetryAfter;
                    user.ReadAttempts = 0;
                    EnqueueRead(user);
                    return;
                case OutcomeKind.SeatsExhausted:
                    user.SeatReserved = false;
                    _seatsRefused = true;
                    Report(user, _make.NoSeat(user, _seatsRefused));
                    FailQueuedWritesForSeats();
                    return;
                case OutcomeKind.TokenExpired:
                case OutcomeKind.AccessDenied:
                    Stop(StopError(outcomeKind, outcome));
                    return;
                default:
                    ReleaseSeat(user);
                    Report(user, _make.Failed(user, errorId, string.IsNullOrEmpty(outcome.ErrorMessage) ? WriteOutcomeClassifier.Describe(outcome) : outcome.ErrorMessage!));
                    return;
            }
        }

        private void RetryWrite(PendingUser user, WriteKind kind, TimeSpan delay)
        {
            if (_stopError != null)
            {
                return;
            }

            if (_cancelling)
            {
                Report(user, _make.Cancelled(user));
                return;
            }

            var attempts = kind == WriteKind.AssignLicense ? user.AssignAttempts : user.UsageLocationAttempts;
            if (attempts >= _settings.MaxAttempts)
            {
                ReleaseSeat(user);
                var what = kind == WriteKind.AssignLicense ? "assignLicense" : "setting the usage location";
                Report(user, _make.Failed(user, ErrorIds.RetriesExhausted, $"Not moved: {what} was not accepted after {attempts} attempts. Last answer: {user.LastError}"));
                return;
            }

            RequeueWrite(user, delay);
        }

        private void RequeueWrite(PendingUser user, TimeSpan delay)
        {
            if (_stopError != null)
            {
                return;
            }

            if (_cancelling)
            {
                Report(user, _make.Cancelled(user));
                return;
            }

            if (_seatsRefused && user.Decision!.NeedsSeat)
            {
                user.SeatReserved = false;
                Report(user, _make.NoSeat(user, _seatsRefused));
                return;
            }

            user.Stage = PendingStage.Write;
            if (delay <= TimeSpan.Zero)
            {
                user.ReadyAt = Now;
                _ready.Enqueue(user);
            }
            else
            {
                _waiting.Add(user, Now + delay);
            }
        }

        /// <summary>
        /// Graph says the target has no free seat although the count said so (someone else took seats): no further
        /// write that needs a seat is sent, and every user queued for one fails now. Users who already hold the target
        /// need no seat and go on.
        /// </summary>
        private void FailQueuedWritesForSeats()
        {
            var keep = new List<PendingUser>();
            while (_ready.Count > 0)
            {
                var user = _ready.Dequeue();
                if (user.Decision!.NeedsSeat)
                {
                    user.SeatReserved = false;
                    Report(user, _make.NoSeat(user, _seatsRefused));
                }
                else
                {
                    keep.Add(user);
                }
            }

            foreach (var user in keep)
            {
                _ready.Enqueue(user);
            }

            foreach (var user in _waiting.TakeWhere(u => u.Stage == PendingStage.Write && u.Decision!.NeedsSeat))
            {
                user.SeatReserved = false;
                Report(user, _make.NoSeat(user, _seatsRefused));
            }
        }
    }
}
