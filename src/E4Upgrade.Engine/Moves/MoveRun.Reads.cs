using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>Reading users (by the caller's key, or again to verify a write in doubt) and deciding what to do with them.</summary>
    internal sealed partial class MoveRun
    {
        // ---------------------------------------------------------------- reads

        private void OnReadCompleted(ReadInFlight read)
        {
            IReadOnlyList<UserLookup> lookups;
            try
            {
                lookups = read.Task.GetAwaiter().GetResult();
            }
            catch (Exception ex)
            {
                foreach (var user in read.Users)
                {
                    if (IsStopError(ex))
                    {
                        Stop(ex);
                    }
                    else if (ex is OperationCanceledException && _cancellationToken.IsCancellationRequested)
                    {
                        Report(user, _make.Cancelled(user));
                    }
                    else
                    {
                        RetryRead(user, ex.Message, null);
                    }
                }

                return;
            }

            var byKey = new Dictionary<string, UserLookup>(StringComparer.OrdinalIgnoreCase);
            foreach (var lookup in lookups)
            {
                if (!byKey.ContainsKey(lookup.Key))
                {
                    byKey.Add(lookup.Key, lookup);
                }
            }

            foreach (var user in read.Users)
            {
                if (!byKey.TryGetValue(user.Key, out var lookup))
                {
                    RetryRead(user, "Graph returned no answer for this user.", null);
                }
                else if (lookup.User != null)
                {
                    if (user.Stage == PendingStage.Verify)
                    {
                        OnVerified(user, lookup.User);
                    }
                    else
                    {
                        OnUserRead(user, lookup.User);
                    }
                }
                else if (lookup.NotFound)
                {
                    OnNotFound(user);
                }
                else
                {
                    OnReadFailed(user, lookup.Failure ?? new WriteOutcome { Status = 0, ErrorMessage = "The read failed." });
                }
            }
        }

        private void OnReadFailed(PendingUser user, WriteOutcome failure)
        {
            var kind = WriteOutcomeClassifier.Classify(failure, out var errorId);
            switch (kind)
            {
                case OutcomeKind.TokenExpired:
                case OutcomeKind.AccessDenied:
                    Stop(StopError(kind, failure));
                    return;
                case OutcomeKind.Throttled:
                    RetryRead(user, WriteOutcomeClassifier.Describe(failure), failure.RetryAfter ?? TimeSpan.FromSeconds(1));
                    return;
                case OutcomeKind.Failed when failure.Status == 404:
                    OnNotFound(user);
                    return;
                case OutcomeKind.Failed when user.Stage == PendingStage.Read:
                    Report(user, _make.Failed(user, failure.Status == 400 ? ErrorIds.InvalidUserIdentity : errorId, "Reading the user failed: " + WriteOutcomeClassifier.Describe(failure)));
                    return;
                default:
                    RetryRead(user, WriteOutcomeClassifier.Describe(failure), failure.RetryAfter);
                    return;
            }
        }

        private void RetryRead(PendingUser user, string error, TimeSpan? retryAfter)
        {
            user.LastError = error;
            if (_stopError != null)
            {
                return;
            }

            if (_cancelling)
            {
                Report(user, _make.Cancelled(user));
                return;
            }

            if (user.ReadAttempts >= _settings.MaxAttempts)
            {
                var what = user.Stage == PendingStage.Verify
                    ? $"Its last assignLicense got no answer and re-reading the user failed {user.ReadAttempts} times, so whether it was moved is unknown; run again to check. Last error: {error}"
                    : $"Reading the user failed {user.ReadAttempts} times; nothing was changed. Last error: {error}";
                ReleaseSeat(user);
                Report(user, _make.Failed(user, ErrorIds.RetriesExhausted, what));
                return;
            }

            _waiting.Add(user, Now + (retryAfter ?? Backoff(user.ReadAttempts)));
        }

        private void OnNotFound(PendingUser user)
        {
            if (user.Stage == PendingStage.Read && !_missingKeys.Add(user.Key))
            {
                Duplicate(user);
                return;
            }

            ReleaseSeat(user);
            Report(user, _make.Failed(user, ErrorIds.UserNotFound, $"No user '{user.Key}' in the tenant."));
        }

        private void OnUserRead(PendingUser user, UserLicenses licenses)
        {
            if (!MarkSeen(licenses.Id))
            {
                Duplicate(user, licenses);
                return;
            }

            user.User = licenses;
            user.Key = licenses.Id;
            if (_stopError != null)
            {
                return;
            }

            var decision = _plan.Decider.Decide(licenses);
            user.Decision = decision;
            if (decision.Result != null)
            {
                Report(user, decision.Result);
                return;
            }

            if (_plan.Options.PlanOnly)
            {
                Report(user, decision.NeedsSeat && !_seats.TryReserve() ? _make.NoSeat(user, _seatsRefused) : _make.WouldMove(user));
                return;
            }

            if (_cancelling)
            {
                Report(user, _make.Cancelled(user));
                return;
            }

            if (decision.NeedsSeat && (_seatsRefused || !_seats.TryReserve()))
            {
                Report(user, _make.NoSeat(user, _seatsRefused));
                return;
            }

            user.SeatReserved = decision.NeedsSeat;
            user.Stage = PendingStage.Write;
            user.ReadyAt = Now;
            _ready.Enqueue(user);
        }

        private void OnVerified(PendingUser user, UserLicenses licenses)
        {
            user.User = licenses;
            if (_plan.Decider.SwapDone(licenses))
            {
                Report(user, _make.Moved(user, "Confirmed by re-reading the user after a write that got no definite answer."));
                return;
            }

            var decision = _plan.Decider.Decide(licenses);
            if (decision.Result != null)
            {
                ReleaseSeat(user);
                Report(user, decision.Result);
                return;
            }

            if (user.AssignAttempts >= _settings.MaxAttempts)
            {
                ReleaseSeat(user);
                Report(user, _make.Failed(user, ErrorIds.RetriesExhausted, $"Not moved after {user.AssignAttempts} attempts (re-read confirms nothing changed). Last answer: {user.LastError}"));
                return;
            }

            if (_cancelling)
            {
                Report(user, _make.Cancelled(user));
                return;
            }

            if (decision.NeedsSeat && (_seatsRefused || (!user.SeatReserved && !_seats.TryReserve())))
            {
                ReleaseSeat(user);
                Report(user, _make.NoSeat(user, _seatsRefused));
                return;
            }

            if (decision.NeedsSeat)
            {
                user.SeatReserved = true;
            }
            else if (!decision.NeedsSeat)
            {
                ReleaseSeat(user);
            }

            user.Decision = decision;
            user.Stage = PendingStage.Write;
            _waiting.Add(user, Now + (user.RetryAfterHint ?? Backoff(user.AssignAttempts)));
        }
    }
}
