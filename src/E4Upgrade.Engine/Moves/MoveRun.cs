using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Pacing;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>
    /// One run of the move engine: a single loop owns all state and waits on whichever of its few outstanding tasks
    /// (input pull, reads, write batches, a timer, cancellation) finishes first. Nothing is shared between threads,
    /// so no locks; memory is bounded by <see cref="MoveEngineSettings.MaxUsersInProgress"/>.
    /// Stages per user: Read (by the caller's key) -> decide -> Write (queued, paced, 20 per $batch) -> result;
    /// a write without a definite answer goes to Verify (re-read) before it may be sent again.
    /// </summary>
    internal sealed class MoveRun
    {
        private readonly ILicensingGateway _gateway;
        private readonly MoveEngineSettings _settings;
        private readonly MovePlan _plan;
        private readonly IClock _clock;
        private readonly AdaptiveWritePacer _pacer;
        private readonly IProgress<MoveProgress>? _progress;
        private readonly IMoveObserver? _observer;
        private readonly CancellationToken _cancellationToken;
        private readonly IAsyncEnumerator<MoveInput> _input;
        private readonly int _batchSize;

        private readonly Queue<PendingUser> _toRead = new Queue<PendingUser>();
        private readonly Queue<PendingUser> _ready = new Queue<PendingUser>();
        private readonly DueQueue<PendingUser> _waiting = new DueQueue<PendingUser>();
        private readonly List<ReadInFlight> _reads = new List<ReadInFlight>();
        private readonly List<BatchInFlight> _batches = new List<BatchInFlight>();
        private readonly Queue<MoveResult> _results = new Queue<MoveResult>();
        private readonly HashSet<Guid> _seenUserIds = new HashSet<Guid>();
        private readonly HashSet<string> _seenOtherUserIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _missingKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly SeatLedger _seats;
        private readonly TaskCompletionSource<bool> _cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly MoveProgress _counts = new MoveProgress();
        private readonly TimeSpan _startedAt;

        private Task<bool>? _pullTask;
        private bool _inputDone;
        private bool _inputAbandoned;
        private int _active;
        private bool _cancelling;
        private bool _seatsRefused;
        private Exception? _stopError;
        private bool _finished;
        private Task? _timer;
        private TimeSpan _timerDue;
        private CancellationTokenSource? _timerCancellation;
        private TimeSpan _lastProgressAt = TimeSpan.MinValue;
        private CancellationTokenRegistration _cancelRegistration;

        public MoveRun(
            ILicensingGateway gateway,
            MoveEngineSettings settings,
            MovePlan plan,
            IAsyncEnumerable<MoveInput> input,
            IProgress<MoveProgress>? progress,
            CancellationToken cancellationToken)
        {
            _gateway = gateway;
            _settings = settings;
            _plan = plan;
            _clock = settings.Clock ?? new SystemClock();
            var pacerSettings = settings.BuildPacerSettings();
            _batchSize = pacerSettings.MaxBatchSize;
            _pacer = new AdaptiveWritePacer(pacerSettings, _clock);
            _progress = progress;
            _observer = settings.Observer;
            _cancellationToken = cancellationToken;
            _input = input.GetAsyncEnumerator(cancellationToken);
            _seats = new SeatLedger(plan.Target.AvailableUnits);
            _startedAt = _clock.Now;
            _cancelRegistration = cancellationToken.Register(() => _cancelled.TrySetResult(true));
        }

        private TimeSpan Now => _clock.Now;

        private bool Halting => _cancelling || _stopError != null;

        /// <summary>The next results (at least one), or null when every user has been reported. Throws at the end of a stopped or cancelled run.</summary>
        public async Task<IReadOnlyList<MoveResult>?> NextResultsAsync()
        {
            while (true)
            {
                if (_results.Count > 0)
                {
                    var results = _results.ToList();
                    _results.Clear();
                    return results;
                }

                if (_finished)
                {
                    ReportProgress(force: true);
                    if (_stopError != null)
                    {
                        throw StopErrorWithCount();
                    }

                    if (_cancelling)
                    {
                        throw new OperationCanceledException("The license move was cancelled; every user taken from the input was reported.", _cancellationToken);
                    }

                    return null;
                }

                if (_cancellationToken.IsCancellationRequested && !_cancelling)
                {
                    BeginCancel();
                }

                var wakeAt = Schedule();
                if (_results.Count > 0)
                {
                    continue;
                }

                if (IsFinished())
                {
                    _finished = true;
                    continue;
                }

                await WaitAsync(wakeAt).ConfigureAwait(false);
                HandleCompleted();
                ReportProgress(force: false);
            }
        }

        public async Task DisposeAsync()
        {
            _timerCancellation?.Cancel();
            _timerCancellation?.Dispose();
            _cancelRegistration.Dispose();
            if (_pullTask == null)
            {
                // A pull still pending cannot be disposed under it; the abandoned enumerator is left to the GC.
                await _input.DisposeAsync().ConfigureAwait(false);
            }
        }

        // ---------------------------------------------------------------- scheduling

        private TimeSpan? Schedule()
        {
            if (Halting)
            {
                return null;
            }

            PromoteDue();
            PullInput();
            var wakeAt = Earliest(StartReads(), StartWrites());
            return Earliest(wakeAt, _waiting.EarliestDue);
        }

        private static TimeSpan? Earliest(TimeSpan? a, TimeSpan? b) =>
            !a.HasValue ? b : !b.HasValue ? a : (a.Value < b.Value ? a : b);

        private bool IsFinished()
        {
            if (_reads.Count > 0 || _batches.Count > 0)
            {
                return false;
            }

            return Halting || (_inputDone && _pullTask == null && _toRead.Count == 0 && _ready.Count == 0 && _waiting.Count == 0);
        }

        private void PromoteDue()
        {
            var now = Now;
            while (_waiting.TryTakeDue(now, out var user))
            {
                if (user.Stage == PendingStage.Write)
                {
                    user.ReadyAt = now;
                    _ready.Enqueue(user);
                }
                else
                {
                    EnqueueRead(user);
                }
            }
        }

        private void PullInput()
        {
            while (!_inputDone && _pullTask == null && _active < _settings.MaxUsersInProgress)
            {
                ValueTask<bool> next;
                try
                {
                    next = _input.MoveNextAsync();
                }
                catch (Exception ex)
                {
                    InputFailed(ex);
                    return;
                }

                if (!next.IsCompleted)
                {
                    _pullTask = next.AsTask();
                    return;
                }

                bool hasItem;
                try
                {
                    hasItem = next.GetAwaiter().GetResult();
                }
                catch (Exception ex)
                {
                    InputFailed(ex);
                    return;
                }

                if (!hasItem)
                {
                    _inputDone = true;
                    return;
                }

                Accept(_input.Current);
            }
        }

        private TimeSpan? StartReads()
        {
            while (_reads.Count < _settings.MaxReadsInFlight && _toRead.Count > 0)
            {
                if (_toRead.Count < _batchSize && _pullTask != null)
                {
                    // The input is still arriving: let it fill the read a little longer rather than read users one by one.
                    var lingerUntil = _toRead.Peek().ReadyAt + _settings.BatchLinger;
                    if (Now < lingerUntil)
                    {
                        return lingerUntil;
                    }
                }

                var chunk = new List<PendingUser>();
                var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                var deferred = new List<PendingUser>();
                while (chunk.Count < _batchSize && _toRead.Count > 0)
                {
                    var user = _toRead.Dequeue();
                    if (keys.Add(user.Key))
                    {
                        chunk.Add(user);
                    }
                    else if (user.Stage == PendingStage.Read)
                    {
                        Duplicate(user);
                    }
                    else
                    {
                        deferred.Add(user);
                    }
                }

                foreach (var user in deferred)
                {
                    _toRead.Enqueue(user);
                }

                if (chunk.Count == 0)
                {
                    return null;
                }

                foreach (var user in chunk)
                {
                    user.ReadAttempts++;
                }

                _reads.Add(new ReadInFlight(chunk, ReadAsync(keys.ToList())));
            }

            return null;
        }

        private async Task<IReadOnlyList<UserLookup>> ReadAsync(IReadOnlyList<string> keys)
        {
            return await _gateway.GetUsersAsync(keys, _cancellationToken).ConfigureAwait(false);
        }

        private TimeSpan? StartWrites()
        {
            while (_ready.Count > 0)
            {
                var now = Now;
                var moreComing = _reads.Count > 0 || _toRead.Count > 0 || _pullTask != null;
                if (_ready.Count < _batchSize && moreComing)
                {
                    // Let reads still in flight fill the batch a little longer rather than send a thin one.
                    var lingerUntil = _ready.Peek().ReadyAt + _settings.BatchLinger;
                    if (now < lingerUntil)
                    {
                        return lingerUntil;
                    }
                }

                var decision = _pacer.Acquire(_ready.Count);
                if (decision.Ticket == null)
                {
                    return decision.Wait.HasValue ? now + decision.Wait.Value : (TimeSpan?)null;
                }

                var users = new List<PendingUser>(decision.Ticket.Writes);
                var requests = new List<WriteRequest>(decision.Ticket.Writes);
                for (var i = 0; i < decision.Ticket.Writes; i++)
                {
                    var user = _ready.Dequeue();
                    users.Add(user);
                    requests.Add(BuildWrite(user, (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }

                _counts.WritesSent += requests.Count;
                _batches.Add(new BatchInFlight(decision.Ticket, users, requests, SendAsync(requests)));
            }

            return null;
        }

        private WriteRequest BuildWrite(PendingUser user, string requestId)
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

            var userId = user.User!.Id;
            user.AssignAttempts++;
            _observer?.WriteSending(userId);
            return new WriteRequest
            {
                RequestId = requestId,
                UserId = userId,
                Kind = WriteKind.AssignLicense,
                Change = _plan.Decider.SwapChange(decision.Mapping!),
            };
        }

        private async Task<IReadOnlyList<WriteOutcome>> SendAsync(IReadOnlyList<WriteRequest> requests)
        {
            // Writes already sent are not cancelled with the run: their outcome must be known and reported.
            return await _gateway.SendWritesAsync(requests, CancellationToken.None).ConfigureAwait(false);
        }

        // ---------------------------------------------------------------- waiting

        private async Task WaitAsync(TimeSpan? wakeAt)
        {
            var tasks = new List<Task>(_reads.Count + _batches.Count + 3);
            if (_pullTask != null && !_inputAbandoned)
            {
                tasks.Add(_pullTask);
            }

            tasks.AddRange(_reads.Select(r => r.Task));
            tasks.AddRange(_batches.Select(b => b.Task));
            if (!_cancelling)
            {
                tasks.Add(_cancelled.Task);
            }

            if (wakeAt.HasValue)
            {
                tasks.Add(Timer(wakeAt.Value));
            }

            if (tasks.Count == 0)
            {
                throw new InvalidOperationException("The license move engine has nothing to wait for but is not finished (internal error).");
            }

            await Task.WhenAny(tasks).ConfigureAwait(false);
        }

        private Task Timer(TimeSpan wakeAt)
        {
            if (_timer != null && _timerDue == wakeAt)
            {
                return _timer;
            }

            _timerCancellation?.Cancel();
            _timerCancellation?.Dispose();
            _timerCancellation = new CancellationTokenSource();
            _timerDue = wakeAt;
            var delay = wakeAt - Now;
            _timer = _clock.DelayAsync(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, _timerCancellation.Token);
            return _timer;
        }

        private void HandleCompleted()
        {
            if (_pullTask != null && _pullTask.IsCompleted && !_inputAbandoned)
            {
                var pull = _pullTask;
                _pullTask = null;
                try
                {
                    if (pull.GetAwaiter().GetResult())
                    {
                        Accept(_input.Current);
                    }
                    else
                    {
                        _inputDone = true;
                    }
                }
                catch (Exception ex)
                {
                    InputFailed(ex);
                }
            }

            for (var i = 0; i < _reads.Count; i++)
            {
                if (_reads[i].Task.IsCompleted)
                {
                    var read = _reads[i];
                    _reads.RemoveAt(i--);
                    OnReadCompleted(read);
                }
            }

            for (var i = 0; i < _batches.Count; i++)
            {
                if (_batches[i].Task.IsCompleted)
                {
                    var batch = _batches[i];
                    _batches.RemoveAt(i--);
                    OnBatchCompleted(batch);
                }
            }

            if (_cancellationToken.IsCancellationRequested && !_cancelling)
            {
                BeginCancel();
            }
        }

        // ---------------------------------------------------------------- input

        private void Accept(MoveInput item)
        {
            _counts.Received++;
            _active++;
            if (item.User != null)
            {
                OnUserRead(new PendingUser(item.User.Id, item.User.UserPrincipalName), item.User);
                return;
            }

            var reference = item.Reference!;
            var key = (reference.Key ?? "").Trim();
            if (key.Length == 0)
            {
                key = (reference.UserPrincipalName ?? "").Trim();
            }

            var user = new PendingUser(key, reference.UserPrincipalName) { Stage = PendingStage.Read };
            if (!UserKey.IsValid(key, out var why))
            {
                Report(user, Failed(user, ErrorIds.InvalidUserIdentity, why));
                return;
            }

            if (Guid.TryParse(key, out var id) && _seenUserIds.Contains(id))
            {
                Duplicate(user);
                return;
            }

            EnqueueRead(user);
        }

        private void EnqueueRead(PendingUser user)
        {
            user.ReadyAt = Now;
            _toRead.Enqueue(user);
        }

        private void InputFailed(Exception ex)
        {
            _pullTask = null;
            _inputDone = true;
            if (ex is OperationCanceledException && _cancellationToken.IsCancellationRequested)
            {
                BeginCancel();
            }
            else
            {
                Stop(ex);
            }
        }

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
                        Report(user, Cancelled(user));
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
                    Report(user, Failed(user, failure.Status == 400 ? ErrorIds.InvalidUserIdentity : errorId, "Reading the user failed: " + WriteOutcomeClassifier.Describe(failure)));
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
                Report(user, Cancelled(user));
                return;
            }

            if (user.ReadAttempts >= _settings.MaxAttempts)
            {
                var what = user.Stage == PendingStage.Verify
                    ? $"Its last assignLicense got no answer and re-reading the user failed {user.ReadAttempts} times, so whether it was moved is unknown; run again to check. Last error: {error}"
                    : $"Reading the user failed {user.ReadAttempts} times; nothing was changed. Last error: {error}";
                ReleaseSeat(user);
                Report(user, Failed(user, ErrorIds.RetriesExhausted, what));
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
            Report(user, Failed(user, ErrorIds.UserNotFound, $"No user '{user.Key}' in the tenant."));
        }

        private void OnUserRead(PendingUser user, UserLicenses licenses)
        {
            if (!MarkSeen(licenses.Id))
            {
                Duplicate(user);
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
                Report(user, decision.NeedsSeat && !_seats.TryReserve() ? NoSeat(user) : WouldMove(user));
                return;
            }

            if (_cancelling)
            {
                Report(user, Cancelled(user));
                return;
            }

            if (decision.NeedsSeat && (_seatsRefused || !_seats.TryReserve()))
            {
                Report(user, NoSeat(user));
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
                Report(user, Moved(user, "Confirmed by re-reading the user after a write that got no definite answer."));
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
                Report(user, Failed(user, ErrorIds.RetriesExhausted, $"Not moved after {user.AssignAttempts} attempts (re-read confirms nothing changed). Last answer: {user.LastError}"));
                return;
            }

            if (_cancelling)
            {
                Report(user, Cancelled(user));
                return;
            }

            if (decision.NeedsSeat && (_seatsRefused || (!user.SeatReserved && !_seats.TryReserve())))
            {
                ReleaseSeat(user);
                Report(user, NoSeat(user));
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
                    Report(user, Moved(user, null));
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
                        Report(user, Cancelled(user));
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
                    Report(user, NoSeat(user));
                    FailQueuedWritesForSeats();
                    return;
                case OutcomeKind.TokenExpired:
                case OutcomeKind.AccessDenied:
                    Stop(StopError(outcomeKind, outcome));
                    return;
                default:
                    ReleaseSeat(user);
                    Report(user, Failed(user, errorId, string.IsNullOrEmpty(outcome.ErrorMessage) ? WriteOutcomeClassifier.Describe(outcome) : outcome.ErrorMessage!));
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
                Report(user, Cancelled(user));
                return;
            }

            var attempts = kind == WriteKind.AssignLicense ? user.AssignAttempts : user.UsageLocationAttempts;
            if (attempts >= _settings.MaxAttempts)
            {
                ReleaseSeat(user);
                var what = kind == WriteKind.AssignLicense ? "assignLicense" : "setting the usage location";
                Report(user, Failed(user, ErrorIds.RetriesExhausted, $"Not moved: {what} was not accepted after {attempts} attempts. Last answer: {user.LastError}"));
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
                Report(user, Cancelled(user));
                return;
            }

            if (_seatsRefused && user.Decision!.NeedsSeat)
            {
                user.SeatReserved = false;
                Report(user, NoSeat(user));
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
                    Report(user, NoSeat(user));
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
                Report(user, NoSeat(user));
            }
        }

        // ---------------------------------------------------------------- stopping

        private void BeginCancel()
        {
            _cancelling = true;
            if (_pullTask != null)
            {
                _inputAbandoned = true;
            }

            _inputDone = true;
            while (_ready.Count > 0)
            {
                var user = _ready.Dequeue();
                Report(user, Cancelled(user));
            }

            while (_toRead.Count > 0)
            {
                var user = _toRead.Dequeue();
                Report(user, Cancelled(user));
            }

            foreach (var user in _waiting.TakeAll())
            {
                Report(user, Cancelled(user));
            }
        }

        private void Stop(Exception error)
        {
            if (_stopError == null)
            {
                _stopError = error;
            }
        }

        private static bool IsStopError(Exception ex) =>
            ex is E4UpgradeException e && (e.ErrorId == ErrorIds.TokenExpired || e.ErrorId == ErrorIds.AccessDenied ||
                                           e.ErrorId == ErrorIds.AuthenticationFailed || e.ErrorId == ErrorIds.NotConnected);

        private static E4UpgradeException StopError(OutcomeKind kind, WriteOutcome outcome)
        {
            var error = kind == OutcomeKind.TokenExpired
                ? new E4UpgradeException(ErrorIds.TokenExpired, ErrorCategoryNames.AuthenticationError,
                    "Graph rejected the access token (401): it has expired or was revoked. Reconnect and run again; users already moved are reported AlreadyMoved.")
                : new E4UpgradeException(ErrorIds.AccessDenied, ErrorCategoryNames.PermissionDenied,
                    "Graph denied the license change (403): the app needs LicenseAssignment.ReadWrite.All (or User.ReadWrite.All). " + outcome.ErrorMessage);
            error.HttpStatus = outcome.Status;
            error.GraphErrorCode = outcome.ErrorCode;
            return error;
        }

        private Exception StopErrorWithCount()
        {
            var error = _stopError!;
            if (_active == 0)
            {
                return error;
            }

            var note = $" The run stopped with {_active} user(s) not processed (no result was reported for them).";
            if (error is E4UpgradeException e4)
            {
                return new E4UpgradeException(e4.ErrorId, e4.Category, e4.Message + note, e4)
                {
                    HttpStatus = e4.HttpStatus,
                    GraphErrorCode = e4.GraphErrorCode,
                };
            }

            return new E4UpgradeException(ErrorIds.GraphError, ErrorCategoryNames.NotSpecified, "Reading the input failed: " + error.Message + note, error);
        }

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

        private void Duplicate(PendingUser user)
        {
            _active--;
            _counts.Duplicates++;
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

        private MoveResult Moved(PendingUser user, string? note)
        {
            var mapping = user.Decision!.Mapping!;
            var message = $"Moved from {_plan.Source.SkuPartNumber} to {_plan.Target.SkuPartNumber}.";
            if (mapping.DroppedPlanNames.Count > 0)
            {
                message += $" Disabled plans with no counterpart in {_plan.Target.SkuPartNumber} were dropped: {string.Join(", ", mapping.DroppedPlanNames)}.";
            }

            if (user.Decision.Note != null)
            {
                message += " " + user.Decision.Note;
            }

            if (note != null)
            {
                message += " " + note;
            }

            var result = _plan.Decider.NewResult(user.User!, MoveStatus.Moved, null, message);
            MoveDecider.Describe(result, mapping);
            return result;
        }

        private MoveResult WouldMove(PendingUser user)
        {
            var message = $"Would move from {_plan.Source.SkuPartNumber} to {_plan.Target.SkuPartNumber}.";
            if (user.Decision!.NeedsUsageLocation)
            {
                message += $" Its usage location would first be set to {_plan.UsageLocation}.";
            }

            if (user.Decision.Mapping!.DroppedPlanNames.Count > 0)
            {
                message += $" Disabled plans with no counterpart would be dropped: {string.Join(", ", user.Decision.Mapping.DroppedPlanNames)}.";
            }

            var result = _plan.Decider.NewResult(user.User!, MoveStatus.WouldMove, null, message);
            MoveDecider.Describe(result, user.Decision.Mapping);
            return result;
        }

        private MoveResult NoSeat(PendingUser user) =>
            Failed(user, ErrorIds.InsufficientLicenses, _seatsRefused
                ? $"Graph reports no free {_plan.Target.SkuPartNumber} seat left; no further write needing a seat is sent and this user was not changed."
                : $"{_plan.Target.SkuPartNumber} has no free seat left for this user ({_plan.Target.AvailableUnits} were free at the start); it was not changed.");

        private MoveResult Cancelled(PendingUser user)
        {
            string message;
            switch (user.Stage)
            {
                case PendingStage.Verify:
                    message = "Cancelled while its last assignLicense had no definite answer: whether it was moved is unknown; run again to check (a moved user is reported AlreadyMoved).";
                    break;
                case PendingStage.Write when user.AssignAttempts > 0:
                    message = "Cancelled before a retry of its assignLicense; not moved.";
                    break;
                default:
                    message = "Cancelled before any write for this user; not moved.";
                    break;
            }

            return Failed(user, ErrorIds.Cancelled, message);
        }

        private MoveResult Failed(PendingUser user, string errorId, string message)
        {
            MoveResult result;
            if (user.User != null)
            {
                result = _plan.Decider.NewResult(user.User, MoveStatus.Failed, errorId, message);
                if (user.Decision?.Mapping != null)
                {
                    MoveDecider.Describe(result, user.Decision.Mapping);
                }
            }
            else
            {
                result = new MoveResult
                {
                    UserId = user.Key,
                    UserPrincipalName = user.InputUserPrincipalName ?? (user.Key.Contains("@") ? user.Key : ""),
                    Status = MoveStatus.Failed,
                    Reason = errorId,
                    Message = message,
                };
            }

            return result;
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

        private sealed class ReadInFlight
        {
            public ReadInFlight(List<PendingUser> users, Task<IReadOnlyList<UserLookup>> task)
            {
                Users = users;
                Task = task;
            }

            public List<PendingUser> Users { get; }
            public Task<IReadOnlyList<UserLookup>> Task { get; }
        }

        private sealed class BatchInFlight
        {
            public BatchInFlight(PacerTicket ticket, List<PendingUser> users, List<WriteRequest> requests, Task<IReadOnlyList<WriteOutcome>> task)
            {
                Ticket = ticket;
                Users = users;
                Requests = requests;
                Task = task;
            }

            public PacerTicket Ticket { get; }
            public List<PendingUser> Users { get; }
            public List<WriteRequest> Requests { get; }
            public Task<IReadOnlyList<WriteOutcome>> Task { get; }
        }
    }
}
