using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Connection;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Pacing;
using E4Upgrade.Engine.Resilience;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>
    /// What happens to one user next, given what just happened to it: <see cref="Next"/>(user, event) returns the
    /// user's new state, the command for the scheduler and the effects to make first. Pure: no I/O, no clock, and it
    /// changes nothing it is given (delays are returned, not waited; seats, taken users, learnt dependencies, read
    /// pauses and the journal's intent are effects the scheduler makes). It reads the run state (once the run has
    /// stopped, a user whose answer comes back is abandoned unless the answer is final) and the run's facts
    /// (<see cref="RunFacts"/>: seats, users already taken). Every per-user decision is made here: duplicates (in the
    /// input, or in one read), the attempt limits; a write whose outcome is unknown (no answer, a failed $batch, an item
    /// missing from its answer) is followed by a re-read of the user, never by a blind second write; a 200 counts as
    /// Moved only once the answer or a read shows the target held (not in an error state), and is never followed by a
    /// second write; a read that decides whether a write landed waits out the replication lag first, since an earlier
    /// read may show the user as it was; a read refused by a limit that holds every read pauses all reads.
    /// </summary>
    internal sealed class UserMoveMachine
    {
        private static readonly TimeSpan DefaultThrottleWait = RetryClassifier.DefaultThrottleWait;

        private readonly MovePlan _plan;
        private readonly int _maxAttempts;
        private readonly Backoff _backoff;
        private readonly TimeSpan _lag;
        private readonly SeatLedger _seats;
        private readonly TakenUsers _taken;
        private readonly RunState _run;
        private readonly MoveResultFactory _results;

        public UserMoveMachine(MovePlan plan, int maxAttempts, Backoff backoff, TimeSpan replicationLag, RunFacts facts, RunState run)
        {
            _plan = plan;
            _maxAttempts = maxAttempts;
            _backoff = backoff;
            _lag = replicationLag;
            _seats = facts.Seats;
            _taken = facts.Taken;
            _run = run;
            _results = new MoveResultFactory(plan);
        }

        public UserStep Next(PendingUser user, UserEvent e)
        {
            switch (e.Kind)
            {
                case UserEventKind.Arrived:
                    return e.User != null ? OnUserRead(user, e.User) : OnArrived(user);
                case UserEventKind.ReadStarting:
                    return OnReadStarting(user, e.KeysInRead!);
                case UserEventKind.ReadAnswered:
                    return OnReadAnswered(user, e);
                case UserEventKind.WriteStarting:
                    return OnWriteStarting(user, e.RequestId);
                case UserEventKind.WriteAnswered:
                    return OnWriteAnswered(user, e.WriteKind, e.WriteOutcome!);
                case UserEventKind.WriteUnanswered:
                    return OnWriteUnanswered(user, e.WriteKind, e.WriteError);
                case UserEventKind.DependencyLearnt:
                    return OnDependencyLearnt(user);
                case UserEventKind.SeatsRefused:
                    return NeedsRefusedSeat(user) ? NoSeat(user) : Step(user, UserCommand.Keep);
                default:
                    return Cancelled(user);
            }
        }

        /// <summary>A user queued for a write that needs a seat: Graph's refusal fails it now.</summary>
        public bool NeedsRefusedSeat(PendingUser user) => user.Stage == PendingStage.Write && user.Decision!.NeedsSeat;

        private UserStep OnArrived(PendingUser user)
        {
            if (!UserKey.IsValid(user.Key, out var why))
            {
                return Report(user, _results.Failed(user, ErrorIds.InvalidUserIdentity, why));
            }

            if (Guid.TryParse(user.Key, out _) && _taken.Contains(user.Key))
            {
                return Step(user, UserCommand.DropDuplicate);
            }

            return Step(user, UserCommand.ReadAfter(TimeSpan.Zero));
        }

        // ---------------------------------------------------------------- reads

        /// <summary>
        /// One read asks Graph for each key once. The same key twice in the input is one read, one write and a
        /// DuplicateInput row for the second; a user re-read under a key already in the read waits for the next one.
        /// </summary>
        private UserStep OnReadStarting(PendingUser user, ICollection<string> keysInRead)
        {
            if (keysInRead.Contains(user.Key))
            {
                return Step(user, user.Stage == PendingStage.Read ? UserCommand.DropDuplicate : UserCommand.Keep);
            }

            return Step(user with { ReadAttempts = user.ReadAttempts + 1 }, UserCommand.Send);
        }

        private UserStep OnReadAnswered(PendingUser user, UserEvent e)
        {
            var step = DecideRead(user, e);
            var failure = e.ReadFailure;
            return failure != null && failure.Status == 429 && ResourceUnitBudget.HoldsTheSession(isRead: true, failure.ThrottleInformation, failure.ThrottleLimitPercentage)
                ? WithEffectFirst(UserEffect.PauseReads(failure.RetryAfter ?? DefaultThrottleWait), step)
                : step;
        }

        private UserStep DecideRead(PendingUser user, UserEvent e)
        {
            if (e.ReadError != null)
            {
                return StopErrors.StopsTheRun(e.ReadError) ? Step(user, UserCommand.StopRun(e.ReadError)) : RetryRead(user, e.ReadError.Message, null);
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

        private UserStep OnReadFailed(PendingUser user, GraphAnswer failure)
        {
            var kind = WriteOutcomeClassifier.Classify(failure, out var errorId);
            switch (kind)
            {
                case OutcomeKind.TokenExpired:
                case OutcomeKind.AccessDenied:
                    return Step(user, UserCommand.StopRun(StopErrors.For(kind, failure, GraphPermissions.ReadUsers)));
                case OutcomeKind.Throttled:
                    return RetryRead(user, WriteOutcomeClassifier.Describe(failure), failure.RetryAfter ?? DefaultThrottleWait);
                case OutcomeKind.Failed when failure.Status == 404:
                    return OnNotFound(user);
                case OutcomeKind.Failed when user.Stage == PendingStage.Read:
                    return Report(user, _results.Failed(user, failure.Status == 400 ? ErrorIds.InvalidUserIdentity : errorId, "Reading the user failed: " + WriteOutcomeClassifier.Describe(failure)));
                default:
                    return RetryRead(user, WriteOutcomeClassifier.Describe(failure), failure.RetryAfter);
            }
        }

        private UserStep RetryRead(PendingUser user, string error, TimeSpan? retryAfter)
        {
            user = user with { LastError = error };
            if (_run.Stopped)
            {
                return Step(user, UserCommand.Abandon);
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
                return ReleaseAndReport(user, u => _results.Failed(u, ErrorIds.RetriesExhausted, what));
            }

            return Step(user, UserCommand.ReadAfter(_backoff.After(user.ReadAttempts, retryAfter)));
        }

        private UserStep OnNotFound(PendingUser user)
        {
            if (user.Stage == PendingStage.Read)
            {
                if (_taken.IsMissing(user.Key))
                {
                    return Step(user, UserCommand.DropDuplicate);
                }

                return WithEffectFirst(UserEffect.KeyMissing(user.Key), ReleaseAndReport(user, NotFoundResult));
            }

            return ReleaseAndReport(user, NotFoundResult);
        }

        private MoveResult NotFoundResult(PendingUser user) => _results.Failed(user, ErrorIds.UserNotFound, $"No user '{user.Key}' in the tenant.");

        private UserStep OnUserRead(PendingUser user, UserLicenses licenses)
        {
            if (_taken.Contains(licenses.Id))
            {
                return Step(user with { User = licenses }, UserCommand.DropDuplicate); // the user names the duplicate's result row
            }

            var taken = UserEffect.UserTaken(licenses.Id);
            user = user with { User = licenses, Key = licenses.Id };
            if (_run.Stopped)
            {
                return Step(user, UserCommand.Abandon, taken);
            }

            var decision = _plan.Decider.Decide(licenses);
            user = user with { Decision = decision };
            if (decision.Result != null)
            {
                return Report(user, decision.Result, taken);
            }

            if (_plan.Options.PlanOnly)
            {
                if (!decision.NeedsSeat)
                {
                    return Report(user, _results.WouldMove(user), taken);
                }

                if (_seats.RefusedByGraph)
                {
                    return Report(user, _results.NoSeat(user, _seats.ShortSku, refusedByGraph: true), taken);
                }

                var planShort = _seats.FirstShort(decision.SeatSkus);
                return planShort.HasValue
                    ? Report(user, _results.NoSeat(user, planShort, refusedByGraph: false), taken, UserEffect.SeatsShort(planShort.Value))
                    : Report(user, _results.WouldMove(user), taken, UserEffect.TakeSeats(decision.SeatSkus));
            }

            if (_run.Cancelling)
            {
                return WithEffectFirst(taken, Cancelled(user));
            }

            return WithEffectFirst(taken, ReserveAndWrite(user, decision, TimeSpan.Zero, releaseWhenNoSeatNeeded: false));
        }

        /// <summary>
        /// Reserves one seat of each target SKU the user lacks (keeping those it holds) and queues its write; a user
        /// who cannot have them fails for want of a seat.
        /// </summary>
        private UserStep ReserveAndWrite(PendingUser user, MoveDecision decision, TimeSpan delay, bool releaseWhenNoSeatNeeded)
        {
            var effects = new List<UserEffect>();
            if (decision.NeedsSeat)
            {
                if (user.SeatReserved)
                {
                    if (_seats.RefusedByGraph)
                    {
                        return ReleaseAndNoSeat(user, _seats.ShortSku);
                    }
                }
                else if (_seats.RefusedByGraph)
                {
                    return Report(user, _results.NoSeat(user, _seats.ShortSku, refusedByGraph: true));
                }
                else
                {
                    var shortSku = _seats.FirstShort(decision.SeatSkus);
                    if (shortSku.HasValue)
                    {
                        return Report(user, _results.NoSeat(user, shortSku, refusedByGraph: false), UserEffect.SeatsShort(shortSku.Value));
                    }

                    effects.Add(UserEffect.TakeSeats(decision.SeatSkus));
                    user = user with { SeatReserved = true, ReservedSkus = decision.SeatSkus };
                }
            }
            else if (releaseWhenNoSeatNeeded)
            {
                effects.AddRange(Release(user, out user));
            }

            return Step(user with { Decision = decision, Stage = PendingStage.Write }, UserCommand.WriteAfter(delay), effects.ToArray());
        }

        /// <summary>The re-read after a write with no definite answer: moved, nothing to do, or write again.</summary>
        private UserStep OnVerified(PendingUser user, UserLicenses licenses)
        {
            user = user with { User = licenses };
            if (_plan.Decider.SwapDone(licenses))
            {
                return Report(user, _results.Moved(user, "Confirmed by re-reading the user after a write that got no definite answer."));
            }

            if (TargetInError(user, licenses, out var failed))
            {
                return failed;
            }

            var decision = _plan.Decider.Decide(licenses);
            if (decision.Result != null)
            {
                return ReleaseAndReport(user, _ => decision.Result);
            }

            if (user.AssignAttempts >= _maxAttempts)
            {
                return ReleaseAndReport(user, u => _results.Failed(u, ErrorIds.RetriesExhausted, $"Not moved after {u.AssignAttempts} attempts (re-read confirms nothing changed). Last answer: {u.LastError}"));
            }

            if (_run.Cancelling)
            {
                return Cancelled(user);
            }

            return ReserveAndWrite(user, decision, _backoff.After(user.AssignAttempts, user.RetryAfterHint), releaseWhenNoSeatNeeded: true);
        }

        /// <summary>The read after a 200 that did not show the result: confirmed, failed in Graph, or (a stale read) read again.</summary>
        private UserStep OnConfirmRead(PendingUser user, UserLicenses licenses)
        {
            if (_plan.Decider.SwapDone(licenses))
            {
                user = user with { User = licenses };
                return Report(user, _results.Moved(user, "Confirmed by reading the user after Graph accepted the change."));
            }

            if (TargetInError(user, licenses, out var failed))
            {
                return failed;
            }

            // The read still shows the user as before the accepted write: a replica behind. Never write again; read later.
            return RetryRead(user, "a read still showed the user as before the accepted assignLicense", _lag);
        }

        /// <summary>Graph took the change, but a target SKU's assignment is in an error state: the user does not have its services.</summary>
        private bool TargetInError(PendingUser user, UserLicenses licenses, out UserStep failed)
        {
            foreach (var sku in _plan.Target.Skus)
            {
                var state = licenses.AssignmentStates.FirstOrDefault(s => s.SkuId == sku.SkuId && s.HasError);
                if (LicenseHolding.Of(licenses, sku.SkuId).Held || state == null)
                {
                    continue;
                }

                user = user with { User = licenses };
                failed = Report(user, _results.Failed(user, LicenseStateErrors.ToErrorId(state.Error), $"{sku.SkuPartNumber} is assigned but in state {state.State} with error {state.Error}; the user does not have its services. Fix the cause and run again."));
                return true;
            }

            failed = Step(user, UserCommand.Keep);
            return false;
        }

        // ---------------------------------------------------------------- writes

        /// <summary>The scheduler sends the user's next write now: which one, counted as an attempt; an assignLicense is journaled first.</summary>
        private UserStep OnWriteStarting(PendingUser user, string requestId)
        {
            var decision = user.Decision!;
            if (decision.NeedsUsageLocation)
            {
                return new UserStep(user with { UsageLocationAttempts = user.UsageLocationAttempts + 1 }, UserCommand.Send, null, new WriteRequest
                {
                    RequestId = requestId,
                    UserId = user.User!.Id,
                    Kind = WriteKind.SetUsageLocation,
                    UsageLocation = _plan.UsageLocation,
                });
            }

            return new UserStep(user with { AssignAttempts = user.AssignAttempts + 1 }, UserCommand.Send, new[] { UserEffect.WriteSending(user.User!.Id) }, new WriteRequest
            {
                RequestId = requestId,
                UserId = user.User!.Id,
                Kind = WriteKind.AssignLicense,
                Change = _plan.Decider.SwapChange(decision),
            });
        }

        /// <summary>No answer for the write: a request refused for the sign-in or a redirect stops the run; otherwise its outcome is unknown (status 0).</summary>
        private UserStep OnWriteUnanswered(PendingUser user, WriteKind kind, Exception? error)
        {
            if (error != null && StopErrors.StopsTheRun(error))
            {
                return Step(user, UserCommand.StopRun(error));
            }

            // The whole request failed (connection dropped, timeout, outer 5xx), or the $batch answer left the item out.
            return OnWriteAnswered(user, kind, new WriteOutcome { Status = 0, ErrorMessage = error?.Message ?? "No answer for this request in the $batch response." });
        }

        private UserStep OnWriteAnswered(PendingUser user, WriteKind kind, WriteOutcome outcome)
        {
            var outcomeKind = WriteOutcomeClassifier.Classify(outcome, out var errorId);
            if (outcomeKind != OutcomeKind.Succeeded)
            {
                user = user with { LastError = WriteOutcomeClassifier.Describe(outcome) };
            }

            switch (outcomeKind)
            {
                case OutcomeKind.Succeeded when kind == WriteKind.SetUsageLocation:
                    return RequeueWrite(user with
                    {
                        Decision = user.Decision!.WithoutUsageLocation(),
                        UsageLocationSet = true,
                        User = user.User!.WithUsageLocation(_plan.UsageLocation),
                    }, TimeSpan.Zero);
                case OutcomeKind.Succeeded when outcome.User != null && _plan.Decider.SwapDone(outcome.User):
                    return Report(user, _results.Moved(user, null));
                case OutcomeKind.Succeeded:
                    // Accepted, but the answer does not show the target held: confirm by reading, never by writing again.
                    if (_run.Stopped)
                    {
                        return Step(user, UserCommand.Abandon);
                    }

                    return Step(user with { Stage = PendingStage.Confirm, ReadAttempts = 0 }, UserCommand.ReadAfter(_lag));
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
                    // The refusal voids this user's reservation: its seats are not given back.
                    var sku = SkuNamedIn(outcome.ErrorMessage);
                    user = user with { SeatReserved = false, ReservedSkus = Array.Empty<Guid>() };
                    return Report(user, _results.NoSeat(user, sku ?? _seats.ShortSku, refusedByGraph: true), UserEffect.SeatsRefusedByGraph(sku));
                case OutcomeKind.Failed when kind == WriteKind.AssignLicense && DependencyToLearn(user, outcome, out var plan, out var requires):
                    return Step(user with { DependencyRefusal = outcome }, UserCommand.DecideAgain, UserEffect.LearnDependency(plan, requires, user.Decision!));
                case OutcomeKind.TokenExpired:
                case OutcomeKind.AccessDenied:
                    return Step(user, UserCommand.StopRun(StopErrors.For(outcomeKind, outcome,
                        kind == WriteKind.SetUsageLocation ? GraphPermissions.SetUsageLocation : GraphPermissions.AssignUserLicenses)));
                case OutcomeKind.Failed when errorId == ErrorIds.UsageLocationMissing && kind == WriteKind.AssignLicense && user.UsageLocationSet:
                    // Our own PATCH of the usage location may not have reached every replica yet.
                    return RetryWrite(user, kind, _lag);
                default:
                    return Failed(user, outcome, errorId);
            }
        }

        private UserStep Failed(PendingUser user, WriteOutcome outcome, string errorId) =>
            ReleaseAndReport(user, u => _results.Failed(u, errorId, string.IsNullOrEmpty(outcome.ErrorMessage) ? WriteOutcomeClassifier.Describe(outcome) : outcome.ErrorMessage!));

        /// <summary>Whether the last write landed is not known: re-read the user once a read can be trusted.</summary>
        private UserStep Verify(PendingUser user, TimeSpan? retryAfter)
        {
            if (_run.Stopped)
            {
                return Step(user, UserCommand.Abandon);
            }

            if (_run.Cancelling)
            {
                return Cancelled(user);
            }

            return Step(user with { Stage = PendingStage.Verify, RetryAfterHint = retryAfter, ReadAttempts = 0 }, UserCommand.ReadAfter(_lag));
        }

        private UserStep RetryWrite(PendingUser user, WriteKind kind, TimeSpan delay)
        {
            if (_run.Stopped)
            {
                return Step(user, UserCommand.Abandon);
            }

            if (_run.Cancelling)
            {
                return Cancelled(user);
            }

            var attempts = kind == WriteKind.AssignLicense ? user.AssignAttempts : user.UsageLocationAttempts;
            if (attempts >= _maxAttempts)
            {
                var what = kind == WriteKind.AssignLicense ? "assignLicense" : "setting the usage location";
                return ReleaseAndReport(user, u => _results.Failed(u, ErrorIds.RetriesExhausted, $"Not moved: {what} was not accepted after {attempts} attempts. Last answer: {u.LastError}"));
            }

            return RequeueWrite(user, delay);
        }

        private UserStep RequeueWrite(PendingUser user, TimeSpan delay)
        {
            if (_run.Stopped)
            {
                return Step(user, UserCommand.Abandon);
            }

            if (_run.Cancelling)
            {
                return Cancelled(user);
            }

            if (_seats.RefusedByGraph && user.Decision!.NeedsSeat)
            {
                return NoSeat(user);
            }

            return Step(user with { Stage = PendingStage.Write }, UserCommand.WriteAfter(delay));
        }

        /// <summary>
        /// A 400 naming a plan dependency, for a user not yet given its one extra write: the rule is learnt (an effect),
        /// then <see cref="OnDependencyLearnt"/> maps the user's plans again with it.
        /// </summary>
        private static bool DependencyToLearn(PendingUser user, WriteOutcome outcome, out Guid plan, out IReadOnlyList<Guid> requires)
        {
            plan = Guid.Empty;
            requires = Array.Empty<Guid>();
            return !user.DependencyRetried && outcome.Status == 400 && PlanDependencies.TryParse(outcome.ErrorMessage, out plan, out requires);
        }

        /// <summary>
        /// The dependency is learnt: when the plans mapped again with every rule learnt so far change the write, it is
        /// sent once more. Never a second extra write for the same user.
        /// </summary>
        private UserStep OnDependencyLearnt(PendingUser user)
        {
            var refusal = user.DependencyRefusal!;
            user = user with { DependencyRefusal = null };
            var before = user.Decision!;
            var after = _plan.Decider.Decide(user.User!);
            if (after.Mapping == null || SameAdds(before, after))
            {
                WriteOutcomeClassifier.Classify(refusal, out var errorId);
                return Failed(user, refusal, errorId);
            }

            return RequeueWrite(user with { DependencyRetried = true, Decision = after.WithoutUsageLocation() }, TimeSpan.Zero);
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

        // ---------------------------------------------------------------- results and seats

        /// <summary>A user who needs a seat and cannot have one. After Graph's refusal its reservation means nothing and is dropped without a release.</summary>
        private UserStep NoSeat(PendingUser user)
        {
            if (_seats.RefusedByGraph)
            {
                user = user with { SeatReserved = false, ReservedSkus = Array.Empty<Guid>() };
            }

            return Report(user, _results.NoSeat(user, _seats.ShortSku, _seats.RefusedByGraph));
        }

        private UserStep ReleaseAndNoSeat(PendingUser user, Guid? shortSku)
        {
            var released = Release(user, out user);
            return Report(user, _results.NoSeat(user, shortSku, _seats.RefusedByGraph), released);
        }

        /// <summary>The user's write will not be sent: its seats go back.</summary>
        private UserStep ReleaseAndReport(PendingUser user, Func<PendingUser, MoveResult> result)
        {
            var released = Release(user, out user);
            return Report(user, result(user), released);
        }

        private static UserEffect[] Release(PendingUser user, out PendingUser released)
        {
            if (!user.SeatReserved)
            {
                released = user;
                return Array.Empty<UserEffect>();
            }

            released = user with { SeatReserved = false, ReservedSkus = Array.Empty<Guid>() };
            return new[] { UserEffect.ReturnSeats(user.ReservedSkus) };
        }

        private UserStep Cancelled(PendingUser user) => Report(user, _results.Cancelled(user));

        private static UserStep Report(PendingUser user, MoveResult result, params UserEffect[] effects) =>
            new UserStep(user, UserCommand.Report(result), effects);

        private static UserStep Step(PendingUser user, UserCommand command, params UserEffect[] effects) => new UserStep(user, command, effects);

        private static UserStep WithEffectFirst(UserEffect effect, UserStep step) =>
            new UserStep(step.User, step.Command, new[] { effect }.Concat(step.Effects).ToArray(), step.Request);
    }
}
