using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Pacing;
using E4Upgrade.Engine.Resilience;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>
    /// One run of the move engine: owns the queues, what is in flight and the timer, and carries out the steps
    /// that <see cref="UserMoveMachine"/> gives for each user (its effects, then its command). It decides nothing about
    /// a user: which users share a read, what an answer or its absence means, seats, duplicates and read pauses are the
    /// machine's. A single loop waits on whichever of its few outstanding
    /// tasks (input pull, reads, write batches, the timer, cancellation) finishes first. Nothing is shared between
    /// threads, so no locks; memory is bounded by <see cref="MoveEngineSettings.MaxUsersInProgress"/>.
    /// </summary>
    internal sealed class MoveScheduler
    {
        private readonly ILicensingGateway _gateway;
        private readonly MoveEngineSettings _settings;
        private readonly IClock _clock;
        private readonly AdaptiveWritePacer _pacer;
        private readonly IMoveObserver? _observer;
        private readonly CancellationToken _cancellationToken;
        private readonly IAsyncEnumerator<MoveInput> _input;
        private readonly int _batchSize;
        private readonly RunState _run = new RunState();
        private readonly RunFacts _facts;
        private readonly UserMoveMachine _machine;
        private readonly MoveTally _tally;

        private readonly Queue<PendingUser> _toRead = new Queue<PendingUser>();
        private readonly Queue<PendingUser> _ready = new Queue<PendingUser>();
        private readonly DueQueue<PendingUser> _waiting = new DueQueue<PendingUser>();
        private readonly List<ReadInFlight> _reads = new List<ReadInFlight>();
        private readonly List<BatchInFlight> _batches = new List<BatchInFlight>();
        private readonly TaskCompletionSource<bool> _cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        private TimeSpan _readsPausedUntil;
        private Task<bool>? _pullTask;
        private bool _inputDone;
        private bool _inputAbandoned;
        private bool _finished;
        private Task? _timer;
        private TimeSpan _timerDue;
        private CancellationTokenSource? _timerCancellation;
        private CancellationTokenRegistration _cancelRegistration;

        public MoveScheduler(
            ILicensingGateway gateway,
            MoveEngineSettings settings,
            MovePlan plan,
            IAsyncEnumerable<MoveInput> input,
            IProgress<MoveProgress>? progress,
            CancellationToken cancellationToken)
        {
            _gateway = gateway;
            _settings = settings;
            _clock = settings.Clock ?? new SystemClock();
            _batchSize = settings.Pacer.MaxBatchSize;
            _pacer = new AdaptiveWritePacer(settings.Pacer, _clock);
            _observer = settings.Observer;
            _cancellationToken = cancellationToken;
            _input = input.GetAsyncEnumerator(cancellationToken);
            _facts = new RunFacts(plan.Seats, plan.Decider);
            _machine = new UserMoveMachine(plan, settings.MaxAttempts, new Backoff(settings.RetryBaseDelay, settings.RetryMaxDelay), settings.ReplicationLag, _facts, _run);
            _tally = new MoveTally(settings.Observer, progress, settings.ProgressInterval, _clock.Now);
            _cancelRegistration = cancellationToken.Register(() => _cancelled.TrySetResult(true));
        }

        private TimeSpan Now => _clock.Now;

        /// <summary>The next results (at least one), or null when every user has been reported. Throws at the end of a stopped or cancelled run.</summary>
        public async Task<IReadOnlyList<MoveResult>?> NextResultsAsync()
        {
            while (true)
            {
                if (_tally.HasResults)
                {
                    return _tally.TakeResults();
                }

                if (_finished)
                {
                    _tally.ReportProgress(Now, _pacer, force: true);
                    if (_run.StopError != null)
                    {
                        throw StopErrors.WithUnprocessed(_run.StopError, _tally.Active);
                    }

                    if (_run.Cancelling)
                    {
                        throw new OperationCanceledException("The license move was cancelled; every user taken from the input was reported.", _cancellationToken);
                    }

                    return null;
                }

                CancelIfRequested();
                var wakeAt = Schedule();
                if (_tally.HasResults)
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
                _tally.ReportProgress(Now, _pacer, force: false);
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

        // ---------------------------------------------------------------- commands

        private void Apply(PendingUser user, UserEvent e) => CarryOut(_machine.Next(user, e));

        /// <summary>Makes the step's effects, in order, then carries out its command with the user's new state.</summary>
        private void CarryOut(UserStep step)
        {
            foreach (var effect in step.Effects)
            {
                Make(effect);
            }

            var user = step.User;
            var command = step.Command;
            switch (command.Kind)
            {
                case UserCommandKind.Read:
                    if (command.Delay > TimeSpan.Zero)
                    {
                        _waiting.Add(user, Now + command.Delay);
                    }
                    else
                    {
                        EnqueueRead(user);
                    }

                    break;
                case UserCommandKind.Write:
                    if (command.Delay > TimeSpan.Zero)
                    {
                        _waiting.Add(user, Now + command.Delay);
                    }
                    else
                    {
                        _ready.Enqueue(user with { ReadyAt = Now });
                    }

                    break;
                case UserCommandKind.Report:
                    _tally.Report(user, command.Result!);
                    break;
                case UserCommandKind.DropDuplicate:
                    _tally.Duplicate(user);
                    break;
                case UserCommandKind.StopRun:
                    _run.Stop(command.StopError!);
                    break;
                case UserCommandKind.DecideAgain:
                    Apply(user, UserEvent.DependencyLearnt);
                    break;
            }
        }

        private void Make(UserEffect effect)
        {
            switch (effect.Kind)
            {
                case UserEffectKind.PauseReads:
                    var until = Now + effect.Delay;
                    if (until > _readsPausedUntil)
                    {
                        _readsPausedUntil = until;
                    }

                    break;
                case UserEffectKind.WriteSending:
                    _observer?.WriteSending(effect.Key);
                    break;
                default:
                    _facts.Apply(effect);
                    break;
            }
        }

        // ---------------------------------------------------------------- scheduling

        private TimeSpan? Schedule()
        {
            if (_run.Halting)
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

            return _run.Halting || (_inputDone && _pullTask == null && _toRead.Count == 0 && _ready.Count == 0 && _waiting.Count == 0);
        }

        private void PromoteDue()
        {
            var now = Now;
            while (_waiting.TryTakeDue(now, out var user))
            {
                if (user.Stage == PendingStage.Write)
                {
                    _ready.Enqueue(user with { ReadyAt = now });
                }
                else
                {
                    EnqueueRead(user);
                }
            }
        }

        private void PullInput()
        {
            while (!_inputDone && _pullTask == null && _tally.Active < _settings.MaxUsersInProgress)
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
            if (_toRead.Count > 0 && Now < _readsPausedUntil)
            {
                return _readsPausedUntil;
            }

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
                    var step = _machine.Next(_toRead.Dequeue(), UserEvent.ReadStarting(keys));
                    switch (step.Command.Kind)
                    {
                        case UserCommandKind.Send:
                            keys.Add(step.User.Key);
                            chunk.Add(step.User);
                            break;
                        case UserCommandKind.Keep:
                            deferred.Add(step.User);
                            break;
                        default:
                            CarryOut(step);
                            break;
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

                _reads.Add(new ReadInFlight(chunk, ReadAsync(keys.ToList())));
            }

            return null;
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
                    var step = _machine.Next(_ready.Dequeue(), UserEvent.WriteStarting((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    foreach (var effect in step.Effects)
                    {
                        Make(effect);
                    }

                    users.Add(step.User);
                    requests.Add(step.Request!);
                }

                _tally.WritesSent(requests.Count);
                _batches.Add(new BatchInFlight(decision.Ticket, users, requests, SendAsync(requests)));
            }

            return null;
        }

        // Awaited here so that a gateway throwing before its first await still ends as a faulted task, not in the loop.
        private async Task<IReadOnlyList<UserLookup>> ReadAsync(IReadOnlyList<string> keys) =>
            await _gateway.GetUsersAsync(keys, _cancellationToken).ConfigureAwait(false);

        private async Task<IReadOnlyList<WriteOutcome>> SendAsync(IReadOnlyList<WriteRequest> requests) =>
            // Writes already sent are not cancelled with the run: their outcome must be known and reported.
            await _gateway.SendWritesAsync(requests, CancellationToken.None).ConfigureAwait(false);

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
            if (!_run.Cancelling)
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
            if (_timer != null && _timerDue == wakeAt && !_timer.IsCompleted)
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

            CancelIfRequested();
        }

        // ---------------------------------------------------------------- answers

        private void OnReadCompleted(ReadInFlight read)
        {
            IReadOnlyList<UserLookup> lookups;
            try
            {
                lookups = read.Task.GetAwaiter().GetResult();
            }
            catch (Exception ex)
            {
                var cancelled = ex is OperationCanceledException && _cancellationToken.IsCancellationRequested;
                foreach (var user in read.Users)
                {
                    Apply(user, cancelled ? UserEvent.Cancel : UserEvent.ReadThrew(ex));
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
                Apply(user, UserEvent.Read(byKey.TryGetValue(user.Key, out var lookup) ? lookup : null));
            }
        }

        private void OnBatchCompleted(BatchInFlight batch)
        {
            IReadOnlyList<WriteOutcome> outcomes;
            Exception? failed = null;
            try
            {
                outcomes = batch.Task.GetAwaiter().GetResult();
                _pacer.Answered(batch.Ticket, outcomes);
            }
            catch (Exception ex)
            {
                _pacer.Unanswered(batch.Ticket);
                failed = ex;
                outcomes = Array.Empty<WriteOutcome>();
            }

            var byId = new Dictionary<string, WriteOutcome>(StringComparer.OrdinalIgnoreCase);
            foreach (var outcome in outcomes)
            {
                byId[outcome.RequestId] = outcome;
            }

            var seatsWereOpen = !_facts.Seats.RefusedByGraph;
            for (var i = 0; i < batch.Users.Count; i++)
            {
                var request = batch.Requests[i];
                if (failed != null || !byId.TryGetValue(request.RequestId, out var outcome))
                {
                    Apply(batch.Users[i], UserEvent.WriteUnanswered(request.Kind, failed));
                }
                else
                {
                    if (outcome.Status == 429)
                    {
                        _tally.Throttled();
                    }

                    Apply(batch.Users[i], UserEvent.Written(request.Kind, outcome));
                }

                if (seatsWereOpen && _facts.Seats.RefusedByGraph)
                {
                    seatsWereOpen = false;
                    FailQueuedWritesForSeats();
                }
            }
        }

        /// <summary>
        /// Graph says the target has no free seat although the count said so (someone else took seats): every user
        /// queued for a write that needs one fails now. Users who already hold the target need no seat and go on.
        /// </summary>
        private void FailQueuedWritesForSeats()
        {
            var keep = new List<PendingUser>();
            while (_ready.Count > 0)
            {
                var step = _machine.Next(_ready.Dequeue(), UserEvent.SeatsRefused);
                if (step.Command.Kind == UserCommandKind.Keep)
                {
                    keep.Add(step.User);
                }
                else
                {
                    CarryOut(step);
                }
            }

            foreach (var user in keep)
            {
                _ready.Enqueue(user);
            }

            foreach (var user in _waiting.TakeWhere(_machine.NeedsRefusedSeat))
            {
                Apply(user, UserEvent.SeatsRefused);
            }
        }

        // ---------------------------------------------------------------- input and stopping

        private void Accept(MoveInput item)
        {
            _tally.Received();
            if (item.User != null)
            {
                Apply(new PendingUser(item.User.Id, item.User.UserPrincipalName), UserEvent.ArrivedWithLicenses(item.User));
                return;
            }

            var reference = item.Reference!;
            var key = (reference.Key ?? "").Trim();
            if (key.Length == 0)
            {
                key = (reference.UserPrincipalName ?? "").Trim();
            }

            Apply(new PendingUser(key, reference.UserPrincipalName) { Stage = PendingStage.Read }, UserEvent.ArrivedAsKey);
        }

        private void EnqueueRead(PendingUser user) => _toRead.Enqueue(user with { ReadyAt = Now });

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
                _run.Stop(ex);
            }
        }

        private void CancelIfRequested()
        {
            if (_cancellationToken.IsCancellationRequested && !_run.Cancelling)
            {
                BeginCancel();
            }
        }

        /// <summary>Every user taken and not in flight is reported Cancelled now; those in flight when their answer comes.</summary>
        private void BeginCancel()
        {
            _run.Cancel();
            if (_pullTask != null)
            {
                _inputAbandoned = true;
            }

            _inputDone = true;
            var queued = _ready.Concat(_toRead).Concat(_waiting.TakeAll()).ToList();
            _ready.Clear();
            _toRead.Clear();
            foreach (var user in queued)
            {
                Apply(user, UserEvent.Cancel);
            }
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
