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
    internal sealed partial class MoveRun
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
        private readonly MoveResultFactory _make;
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
            _make = new MoveResultFactory(plan);
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
                Report(user, _make.Failed(user, ErrorIds.InvalidUserIdentity, why));
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
