using System;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Resilience;

namespace E4Upgrade.Engine.Pacing
{
    /// <summary>
    /// The resource units of one Graph session (Graph's per app per tenant quota, shared by every call of the session),
    /// and the one pause every read and write of the session honours.
    /// Reads: a token bucket of what the quota leaves after the writes' share (<see cref="ResourceUnitBudgetSettings"/>),
    /// charged before a read goes with its documented cost and corrected by the cost Graph reports (x-ms-resource-unit);
    /// a read waits until its cost is there. When a read's answer carries x-ms-throttle-limit-percentage (Graph sends it
    /// from 0.8 of a limit on), the bucket holds no more than that leaves, so another session of the same app or a
    /// smaller quota than assumed slows the reads too. Writes are not charged: Graph's write quota keeps them far below
    /// the resource-unit quota (20 writes/s, 1 unit each, against at least 350 units/s), and their share is kept free.
    /// The quota: the configured one, else Graph's documented tier for the tenant's size, the smallest (the safe value,
    /// since nothing tells the size up front) until the session has seen 50, then more than 500, different users.
    /// The pause: a 429 that names the resource-unit limit (x-ms-throttle-information ResourceUnitLimitExceeded), and a
    /// read's 429 that names another limit or reports it reached (percentage 1.0 or more), hold every read and write of
    /// the session until its Retry-After has passed.
    /// A write-limit 429 is the write pacer's business and holds no read; a 429 that names no limit (Graph sends some
    /// "even when limits aren't reached") holds only its own call.
    /// Thread-safe: reads of several callers and the writes of a run share it.
    /// </summary>
    public sealed class ResourceUnitBudget
    {
        private readonly object _gate = new object();
        private readonly ResourceUnitBudgetSettings _settings;
        private readonly IClock _clock;
        private readonly Action<string>? _log;
        private long _knownUsers;
        private int _quota;
        private double _capacity;
        private double _tokens;
        private TimeSpan _tokensAt;
        private TimeSpan _pausedUntil;
        private long _pauses;

        public ResourceUnitBudget(ResourceUnitBudgetSettings? settings, IClock clock, Action<string>? log = null)
        {
            _settings = settings ?? new ResourceUnitBudgetSettings();
            _settings.Validate();
            _clock = clock ?? throw new ArgumentNullException(nameof(clock));
            _log = log;
            _quota = _settings.ResourceUnitsPerWindow ?? ResourceUnitBudgetSettings.SmallTenantQuota;
            _capacity = ReadCapacity(_quota);
            _tokens = _capacity;
            _tokensAt = _clock.Now;
        }

        /// <summary>Graph's quota per window this budget works under (documented tier or the configured figure).</summary>
        public int QuotaPerWindow
        {
            get
            {
                lock (_gate)
                {
                    return _quota;
                }
            }
        }

        /// <summary>What reads may spend per window (the quota minus the writes' share, times the target fraction).</summary>
        public double ReadUnitsPerWindow
        {
            get
            {
                lock (_gate)
                {
                    return _capacity;
                }
            }
        }

        /// <summary>Times a 429 paused the session.</summary>
        public long Pauses => Interlocked.Read(ref _pauses);

        /// <summary>
        /// The tenant has at least this many users (a listing returned them): the documented quota of a larger tenant
        /// applies. Never lowers the quota.
        /// </summary>
        public void TenantHasAtLeast(long users)
        {
            if (_settings.ResourceUnitsPerWindow.HasValue || users <= Interlocked.Read(ref _knownUsers))
            {
                return;
            }

            lock (_gate)
            {
                if (users <= _knownUsers)
                {
                    return;
                }

                _knownUsers = users;
                var quota = users > 500 ? ResourceUnitBudgetSettings.LargeTenantQuota
                    : users >= 50 ? ResourceUnitBudgetSettings.MediumTenantQuota
                    : ResourceUnitBudgetSettings.SmallTenantQuota;
                if (quota <= _quota)
                {
                    return;
                }

                Refill(_clock.Now);
                var capacity = ReadCapacity(quota);
                // Graph's bucket was the larger one all along: what the smaller model held back is there too.
                _tokens += capacity - _capacity;
                _capacity = capacity;
                _quota = quota;
            }

            _log?.Invoke($"The tenant has at least {users:N0} users: reads paced under Graph's {_quota:N0} resource units per {_settings.Window.TotalSeconds:0.##} s.");
        }

        /// <summary>Takes <paramref name="cost"/> units for a read now, or says how long to wait before asking again.</summary>
        public TimeSpan TryTakeRead(int cost)
        {
            var now = _clock.Now;
            lock (_gate)
            {
                if (now < _pausedUntil)
                {
                    return _pausedUntil - now;
                }

                Refill(now);
                // A read dearer than the whole bucket goes when the bucket is full, and leaves it in debt.
                var needed = Math.Min(Math.Max(1, cost), _capacity);
                if (_tokens < needed)
                {
                    var wait = TimeSpan.FromTicks((long)Math.Ceiling((needed - _tokens) / RefillPerSecond * TimeSpan.TicksPerSecond));
                    return wait > TimeSpan.Zero ? wait : TimeSpan.FromTicks(1);
                }

                _tokens -= Math.Max(1, cost);
                return TimeSpan.Zero;
            }
        }

        /// <summary>How long writes (and reads) must still wait for a pause; zero when none holds.</summary>
        public TimeSpan PauseRemaining
        {
            get
            {
                var now = _clock.Now;
                lock (_gate)
                {
                    return now < _pausedUntil ? _pausedUntil - now : TimeSpan.Zero;
                }
            }
        }

        public async Task WaitForReadAsync(int cost, CancellationToken cancellationToken)
        {
            for (var wait = TryTakeRead(cost); wait > TimeSpan.Zero; wait = TryTakeRead(cost))
            {
                await _clock.DelayAsync(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        public async Task WaitForWriteAsync(CancellationToken cancellationToken)
        {
            for (var wait = PauseRemaining; wait > TimeSpan.Zero; wait = PauseRemaining)
            {
                await _clock.DelayAsync(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Graph reported what a read really cost (x-ms-resource-unit): the difference to what was taken is settled.</summary>
        public void ReadCharged(int taken, int reported)
        {
            if (reported < 1 || reported == taken)
            {
                return;
            }

            lock (_gate)
            {
                _tokens -= reported - Math.Max(1, taken);
                _tokens = Math.Min(_tokens, _capacity);
            }
        }

        /// <summary>
        /// One answer (a call, or one item of a $batch): <paramref name="limitPercentage"/> is x-ms-throttle-limit-percentage,
        /// <paramref name="throttleInformation"/> x-ms-throttle-information, <paramref name="retryAfter"/> the bounded Retry-After.
        /// </summary>
        public void Answered(bool isRead, int status, TimeSpan? retryAfter, string? throttleInformation, double? limitPercentage)
        {
            var now = _clock.Now;
            if (status == 429)
            {
                if (!HoldsTheSession(isRead, throttleInformation, limitPercentage))
                {
                    return;
                }

                var until = now + (retryAfter ?? _settings.DefaultRetryAfter);
                lock (_gate)
                {
                    Refill(now);
                    // Graph says the bucket is empty: nothing is left to spend once the pause is over.
                    _tokens = Math.Min(_tokens, 0);
                    Interlocked.Increment(ref _pauses);
                    if (until <= _pausedUntil)
                    {
                        return;
                    }

                    _pausedUntil = until;
                }

                _log?.Invoke($"Graph refused a {(isRead ? "read" : "write")} ({throttleInformation ?? "limit reached"}): every read and write of the session waits {(until - now).TotalSeconds:0.###} s.");
                return;
            }

            if (isRead && limitPercentage.HasValue && RetryClassifier.IsSuccess(status))
            {
                lock (_gate)
                {
                    Refill(now);
                    // Keep the distance to Graph's own bucket that the two have when both are full.
                    _tokens = Math.Min(_tokens, _capacity - (limitPercentage.Value * _quota));
                }
            }
        }

        /// <summary>Which 429s pause every call of the session (see the class summary).</summary>
        internal static bool HoldsTheSession(bool isRead, string? throttleInformation, double? limitPercentage)
        {
            switch (ThrottledLimits.Of(throttleInformation, limitPercentage))
            {
                case ThrottledLimit.ResourceUnits:
                    return true;
                case ThrottledLimit.Other:
                case ThrottledLimit.Unnamed:
                    return isRead;
                default:
                    return false;
            }
        }

        private double RefillPerSecond => _capacity / _settings.Window.TotalSeconds;

        private double ReadCapacity(int quota)
        {
            var writes = _settings.WriteResourceUnitsPerSecond * _settings.Window.TotalSeconds;
            // At least a tenth of the quota is left to reads, whatever the writes' share.
            return Math.Max(1, _settings.TargetFraction * Math.Max(quota - writes, quota / 10.0));
        }

        private void Refill(TimeSpan now)
        {
            var elapsed = (now - _tokensAt).TotalSeconds;
            if (elapsed > 0)
            {
                _tokens = Math.Min(_capacity, _tokens + (elapsed * RefillPerSecond));
                _tokensAt = now;
            }
        }
    }
}
