using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Connection;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Resilience;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>
    /// What happens to one user next, given what just happened to it: <see cref="Next"/>(user, event) returns a
    /// command. No I/O and no clock: delays are returned, not waited. The user's own state (stage, attempts, decision,
    /// seat) lives in its <see cref="PendingUser"/>; the run-wide facts it reads are the run state (once the run has
    /// stopped, a user whose answer comes back is abandoned unless the answer is final), the seat ledger and the ids
    /// already taken. Rules owned here: the attempt limits; a write whose outcome is unknown is followed by a
    /// re-read of the user, never by a blind second write; a 200 counts as Moved only once the answer or a read shows
    /// the target held (not in an error state), and is never followed by a second write; a read that decides whether a
    /// write landed waits out the replication lag first, since an earlier read may show the user as it was.
    /// </summary>
    internal sealed class UserMoveMachine
    {
        private static readonly TimeSpan DefaultThrottleWait = RetryClassifier.DefaultThrottleWait;

        private readonly MovePlan _plan;
        private readonly int _maxAttempts;
        private readonly Backoff _backoff;
        private readonly TimeSpan _lag;
        private readonly SeatLedger _seats;
        private readonly RunState _run;
        private readonly MoveResultFactory _results;
        private readonly HashSet<Guid> _seenUserIds = new HashSet<Guid>();
        private readonly HashSet<string> _seenOtherUserIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _missingKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public UserMoveMachine(MovePlan plan, int maxAttempts, Backoff backoff, TimeSpan replicationLag, SeatLedger seats, RunState run)
        {
            _plan = plan;
            _maxAttempts = maxAttempts;
            _backoff = backoff;
            _lag = replicationLag;
            _seats = seats;
            _run = run;
            _results = new MoveResultFactory(plan);
        }

        public UserCommand Next(PendingUser user, UserEvent e)
        {
            switch (e.Kind)
            {
                case UserEventKind.Arrived:
                    return e.User != null ? OnUserRead(user, e.User) : OnArrived(user);
                case UserEventKind.ReadAnswered:
                    return OnReadAnswered(user, e);
                case UserEventKind.WriteAnswered:
                    return OnWriteAnswered(user, e.WriteKind, e.WriteOutcome!);
                case UserEventKind.SeatsRefused:
                    return NeedsRefusedSeat(user) ? NoSeat(user) : UserCommand.Keep;
                default:
                    return Cancelled(user);
            }
        }

        /// <summary>A user queued for a write that needs a seat: Graph's refusal fails it now.</summary>
        public bool NeedsRefusedSeat(PendingUser user) => user.Stage == PendingStage.Write && user.Decision!.NeedsSeat;

        /// <summary>The scheduler sends a read of this user now: one read attempt.</summary>
        public void ReadSent(PendingUser user) => user.ReadAttempts++;

        /// <summary>The scheduler sends the user's next write now: which one, counted as an attempt.</summary>
        public WriteRequest WriteSent(PendingUser user, string requestId)
        {
            var decision = user.Decision!;
            if (decision.NeedsUsageLocation)
            {
                user.UsageLocationAttempts++;
                return new WriteRequest
                {
                    RequestId = requestId,
                    UserId = user.User!.Id,
                    Kind = WriteKind.SetUsageLocation,
                    UsageLocation = _plan.UsageLocation,
                };
            }

            user.AssignAttempts++;
            return new WriteRequest
            {
                RequestId = requestId,
                UserId = user.User!.Id,
                Kind = WriteKind.AssignLicense,
                Change = _plan.Decider.SwapChange(decision),
            };
        }

        private UserCommand OnArrived(PendingUser user)
        {
            if (!UserKey.IsValid(user.Key, out var why))
            {
                return Report(_results.Failed(user, ErrorIds.InvalidUserIdentity, why));
            }

            if (Guid.TryParse(user.Key, out var id) && _seenUserIds.Contains(id))
            {
                return UserCommand.DropDuplicate;
            }

            return UserCommand.ReadAfter(TimeSpan.Zero);
        }

        // ---------------------------------------------------------------- reads

        private UserCommand OnReadAnswered(PendingUser user, UserEvent e)
        {
            if (e.ReadError != null)
            {
                return StopErrors.StopsTheRun(e.ReadError) ? UserCommand.StopRun(e.ReadError) : RetryRead(user, e.ReadError.Message, null);
            }

            if (e.User != null)
            {
                switch (user.Stage)
                {
                    case PendingStage.Verify:
                        return OnVerified(user, e.User);
                    case PendingStage.Confirm:
                        return OnConfirmRead(user, e.User);
                    default:
                        return OnUserRead(user, e.User);
                }
            }

            if (e.NotFound)
            {
                return OnNotFound(user);
            }

            return e.ReadFailure != null
                ? OnReadFailed(user, e.ReadFailure)
                : RetryRead(user, "Graph returned no answer for this user.", null);
        }

        private UserCommand OnReadFailed(PendingUser user, WriteOutcome failure)
        {
            var kind = WriteOutcomeClassifier.Classify(failure, out var errorId);
            switch (kind)
            {
                case OutcomeKind.TokenExpired:
                case OutcomeKind.AccessDenied:
                    return UserCommand.StopRun(StopErrors.For(kind, failure, GraphPermissions.ReadUsers));
                case OutcomeKind.Throttled:
                    return RetryRead(user, WriteOutcomeClassifier.Describe(failure), failure.RetryAfter ?? DefaultThrottleWait);
                case OutcomeKind.Failed when failure.Status == 404:
                    return OnNotFound(user);
                case OutcomeKind.Failed when user.Stage == PendingStage.Read:
                    return Report(_results.Failed(user, failure.Status == 400 ? ErrorIds.InvalidUserIdentity : errorId, "Reading the user failed: " + WriteOutcomeClassifier.Describe(failure)));
                default:
                    return RetryRead(user, WriteOutcomeClassifier.Describe(failure), failure.RetryAfter);
            }
        }

        private UserCommand RetryRead(PendingUser user, string error, TimeSpan? retryAfter)
        {
            user.LastError = error;
            if (_run.Stopped)
            {
                return UserCommand.Abandon;
            }

            if (_run.Cancelling)
            {
                return Cancelled(user);
            }

            if (user.ReadAttempts >= _maxAttempts)
            {
                var what = user.Stage switch
                {
                    PendingStage.Verify => $"Its last assignLicense got no answer and re-reading the user failed {user.ReadAttempts} times, so whether it was moved is unknown; run again to check. Last error: {error}",
                    PendingStage.Confirm => $"Graph accepted its assignLicense (200) but reading the user failed {user.ReadAttempts} times, so the move is not confirmed; run again to check. Last error: {error}",
                    _ => $"Reading the user failed {user.ReadAttempts} times; nothing was changed. Last error: {error}",
                };
                _seats.ReleaseFor(user);
                return Report(_results.Failed(user, ErrorIds.RetriesExhausted, what));
            }

            return UserCommand.ReadAfter(_backoff.After(user.ReadAttempts, retryAfter));
        }

        private UserCommand OnNotFound(PendingUser user)
        {
            if (user.Stage == PendingStage.Read && !_missingKeys.Add(user.Key))
            {
                return UserCommand.DropDuplicate;
            }

            _seats.ReleaseFor(user);
            return Report(_results.Failed(user, ErrorIds.UserNotFound, $"No user '{user.Key}' in the tenant."));
        }

        private UserCommand OnUserRead(PendingUser user, UserLicenses licenses)
        {
            if (!MarkSeen(licenses.Id))
            {
                user.User = licenses; // names the duplicate's result row
                return UserCommand.DropDuplicate;
            }

            user.User = licenses;
            user.Key = licenses.Id;
            if (_run.Stopped)
            {
                return UserCommand.Abandon;
            }

            var decision = _plan.Decider.Decide(licenses);
            user.Decision = decision;
            if (decision.Result != null)
            {
                return Report(decision.Result);
            }

            if (_plan.Options.PlanOnly)
            {
                return Report(decision.NeedsSeat && !_seats.TryCountForPlan(decision.SeatSkus) ? _results.NoSeat(user, _seats) : _results.WouldMove(user));
            }

            if (_run.Cancelling)
            {
                return Cancelled(user);
            }

            if (decision.NeedsSeat && !_seats.TryReserveFor(user, decision.SeatSkus))
            {
                return NoSeat(user);
            }

            user.Stage = PendingStage.Write;
            return UserCommand.WriteAfter(TimeSpan.Zero);
        }

        /// <summary>The re-read after a write with no definite answer: moved, nothing to do, or write again.</summary>
        private UserCommand OnVerified(PendingUser user, UserLicenses licenses)
        {
            user.User = licenses;
            if (_plan.Decider.SwapDone(licenses))
            {
                return Report(_results.Moved(user, "Confirmed by re-reading the user after a write that got no definite answer."));
            }

            if (TargetInError(user, licenses, out var failed))
            {
                return failed;
            }

            var decision = _plan.Decider.Decide(licenses);
            if (decision.Result != null)
            {
                _seats.ReleaseFor(user);
                return Report(decision.Result);
            }

            if (user.AssignAttempts >= _maxAttempts)
            {
                _seats.ReleaseFor(user);
                return Report(_results.Failed(user, ErrorIds.RetriesExhausted, $"Not moved after {user.AssignAttempts} attempts (re-read confirms nothing changed). Last answer: {user.LastError}"));
            }

            if (_run.Cancelling)
            {
                return Cancelled(user);
            }

            if (decision.NeedsSeat && !_seats.TryReserveFor(user, decision.SeatSkus))
            {
                _seats.ReleaseFor(user);
                return NoSeat(user);
            }

            if (!decision.NeedsSeat)
            {
                _seats.ReleaseFor(user);
            }

            user.Decision = decision;
            user.Stage = PendingStage.Write;
            return UserCommand.WriteAfter(_backoff.After(user.AssignAttempts, user.RetryAfterHint));
        }

        /// <summary>The read after a 200 that did not show the result: confirmed, failed in Graph, or (a stale read) read again.</summary>
        private UserCommand OnConfirmRead(PendingUser user, UserLicenses licenses)
        {
            if (_plan.Decider.SwapDone(licenses))
            {
                user.User = licenses;
                return Report(_results.Moved(user, "Confirmed by reading the user after Graph accepted the change."));
            }

            if (TargetInError(user, licenses, out var failed))
            {
                return failed;
            }

            // The read still shows the user as before the accepted write: a replica behind. Never write again; read later.
            return RetryRead(user, "a read still showed the user as before the accepted assignLicense", _lag);
        }

        /// <summary>Graph took the change, but a target SKU's assignment is in an error state: the user does not have its services.</summary>
        private bool TargetInError(PendingUser user, UserLicenses licenses, out UserCommand failed)
        {
            foreach (var sku in _plan.Target.Skus)
            {
                var state = licenses.AssignmentStates.FirstOrDefault(s => s.SkuId == sku.SkuId && s.HasError);
                if (LicenseHolding.Of(licenses, sku.SkuId).Held || state == null)
                {
                    continue;
                }

                user.User = licenses;
                failed = Report(_results.Failed(user, TargetErrorId(state.Error), $"{sku.SkuPartNumber} is assigned but in state {state.State} with error {state.Error}; the user does not have its services. Fix the cause and run again."));
                return true;
            }

            failed = UserCommand.Keep;
            return false;
        }

        private static string TargetErrorId(string? error) => LicenseStateErrors.ToErrorId(error);

        // ---------------------------------------------------------------- writes

        private UserCommand OnWriteAnswered(PendingUser user, WriteKind kind, WriteOutcome outcome)
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
                    user.UsageLocationSet = true;
                    user.User!.UsageLocation = _plan.UsageLocation;
                    return RequeueWrite(user, TimeSpan.Zero);
                case OutcomeKind.Succeeded when outcome.User != null && _plan.Decider.SwapDone(outcome.User):
                    return Report(_results.Moved(user, null));
                case OutcomeKind.Succeeded:
                    // Accepted, but the answer does not show the target held: confirm by reading, never by writing again.
                    if (_run.Stopped)
                    {
                        return UserCommand.Abandon;
                    }

                    user.Stage = PendingStage.Confirm;
                    user.ReadAttempts = 0;
                    return UserCommand.ReadAfter(_lag);
                case OutcomeKind.SourceGone:
                    // Typically our own earlier swap landed and a stale read hid it: read again once the replicas caught up.
                    return Verify(user, null);
                case OutcomeKind.Throttled:
                    return RetryWrite(user, kind, outcome.RetryAfter ?? DefaultThrottleWait);
                case OutcomeKind.Unknown when kind == WriteKind.SetUsageLocation:
                    // Setting the usage location again is harmless: no re-read needed.
                    return RetryWrite(user, kind, _backoff.After(user.UsageLocationAttempts, outcome.RetryAfter));
                case OutcomeKind.Unknown:
                    return Verify(user, outcome.RetryAfter);
                case OutcomeKind.SeatsExhausted:
                    _seats.RefusedFor(user, SkuNamedIn(outcome.ErrorMessage));
                    return NoSeat(user);
                case OutcomeKind.Failed when kind == WriteKind.AssignLicense && CanRetryForDependency(user, outcome):
                    return RequeueWrite(user, TimeSpan.Zero);
                case OutcomeKind.TokenExpired:
                case OutcomeKind.AccessDenied:
                    return UserCommand.StopRun(StopErrors.For(outcomeKind, outcome,
                        kind == WriteKind.SetUsageLocation ? GraphPermissions.SetUsageLocation : GraphPermissions.AssignUserLicenses));
                case OutcomeKind.Failed when errorId == ErrorIds.UsageLocationMissing && kind == WriteKind.AssignLicense && user.UsageLocationSet:
                    // Our own PATCH of the usage location may not have reached every replica yet.
                    return RetryWrite(user, kind, _lag);
                default:
                    _seats.ReleaseFor(user);
                    return Report(_results.Failed(user, errorId, string.IsNullOrEmpty(outcome.ErrorMessage) ? WriteOutcomeClassifier.Describe(outcome) : outcome.ErrorMessage!));
            }
        }

        /// <summary>Whether the last write landed is not known: re-read the user once a read can be trusted.</summary>
        private UserCommand Verify(PendingUser user, TimeSpan? retryAfter)
        {
            if (_run.Stopped)
            {
                return UserCommand.Abandon;
            }

            if (_run.Cancelling)
            {
                return Cancelled(user);
            }

            user.Stage = PendingStage.Verify;
            user.RetryAfterHint = retryAfter;
            user.ReadAttempts = 0;
            return UserCommand.ReadAfter(_lag);
        }

        private UserCommand RetryWrite(PendingUser user, WriteKind kind, TimeSpan delay)
        {
            if (_run.Stopped)
            {
                return UserCommand.Abandon;
            }

            if (_run.Cancelling)
            {
                return Cancelled(user);
            }

            var attempts = kind == WriteKind.AssignLicense ? user.AssignAttempts : user.UsageLocationAttempts;
            if (attempts >= _maxAttempts)
            {
                _seats.ReleaseFor(user);
                var what = kind == WriteKind.AssignLicense ? "assignLicense" : "setting the usage location";
                return Report(_results.Failed(user, ErrorIds.RetriesExhausted, $"Not moved: {what} was not accepted after {attempts} attempts. Last answer: {user.LastError}"));
            }

            return RequeueWrite(user, delay);
        }

        private UserCommand RequeueWrite(PendingUser user, TimeSpan delay)
        {
            if (_run.Stopped)
            {
                return UserCommand.Abandon;
            }

            if (_run.Cancelling)
            {
                return Cancelled(user);
            }

            if (_seats.RefusedByGraph && user.Decision!.NeedsSeat)
            {
                return NoSeat(user);
            }

            user.Stage = PendingStage.Write;
            return UserCommand.WriteAfter(delay);
        }

        // ---------------------------------------------------------------- results

        private UserCommand NoSeat(PendingUser user)
        {
            if (_seats.RefusedByGraph)
            {
                _seats.Forget(user);
            }

            return Report(_results.NoSeat(user, _seats));
        }

        /// <summary>
        /// A 400 naming a plan dependency: learn it, map the user's plans again with it and, when that changes the
        /// write, send it once more. Never a second extra write for the same user.
        /// </summary>
        private bool CanRetryForDependency(PendingUser user, WriteOutcome outcome)
        {
            if (user.DependencyRetried || outcome.Status != 400
                || !PlanDependencies.TryParse(outcome.ErrorMessage, out var plan, out var requires))
            {
                return false;
            }

            var before = user.Decision!;
            _plan.Decider.LearnFromRefusal(plan, requires, before);
            var after = _plan.Decider.Decide(user.User!);
            if (after.Mapping == null || SameAdds(before, after))
            {
                return false;
            }

            user.DependencyRetried = true;
            after.NeedsUsageLocation = false;
            user.Decision = after;
            return true;
        }

        private static bool SameAdds(MoveDecision a, MoveDecision b) =>
            a.Mapping!.Adds.Count == b.Mapping!.Adds.Count
            && a.Mapping.Adds.Zip(b.Mapping.Adds, (x, y) => x.SkuId == y.SkuId && new HashSet<Guid>(x.DisabledPlans).SetEquals(y.DisabledPlans)).All(same => same);

        /// <summary>Graph's refusal names the SKU: "Subscription with SKU {id} does not have any available licenses."</summary>
        private static Guid? SkuNamedIn(string? message)
        {
            var match = System.Text.RegularExpressions.Regex.Match(message ?? "", @"SKU ([0-9a-fA-F-]{36})");
            return match.Success && Guid.TryParse(match.Groups[1].Value, out var id) ? id : (Guid?)null;
        }

        private UserCommand Cancelled(PendingUser user) => Report(_results.Cancelled(user));

        private static UserCommand Report(MoveResult result) => UserCommand.Report(result);

        private bool MarkSeen(string userId) =>
            Guid.TryParse(userId, out var id) ? _seenUserIds.Add(id) : _seenOtherUserIds.Add(userId);
    }
}
