using System;
using System.Collections.Generic;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Resilience;

namespace E4Upgrade.Engine.Pacing
{
    /// <summary>
    /// Decides when the next batch of writes may go so that the run stays at Graph's write ceiling without running into it.
    /// Three brakes, all fed by the answers:
    /// a write rate (token bucket) that doubles every <see cref="PacerSettings.RateDoublingTime"/> while it is what holds
    /// writes back and Graph reports no x-ms-throttle-limit-percentage, stops growing past ~0.9 and is cut on a 429;
    /// a window credit: once Graph reports the percentage p, at most (target - p) x WriteLimit writes are outstanding
    /// beyond what that answer counted, so the run fills Graph's sliding window up to the target and then sends exactly
    /// as fast as the window drains (probing with one write when it has no fresher answer);
    /// and a pause until the Retry-After of a 429 that a limit sent. Batches in flight are capped.
    /// Which 429s count: x-ms-throttle-information names the limit (WriteLimitExceeded cuts the rate;
    /// ResourceUnitLimitExceeded pauses without cutting it, since fewer writes would not free the read budget); without
    /// it, a 429 whose percentage is 1.0 or more is taken as the write limit. A 429 with neither is one of those Graph
    /// sends "even when limits aren't reached": only its own item waits its Retry-After, and the rate is left alone,
    /// so rare spurious 429s cannot collapse it.
    /// Not thread-safe: one run's loop owns it.
    /// </summary>
    internal sealed class AdaptiveWritePacer
    {
        private readonly PacerSettings _settings;
        private readonly IClock _clock;
        private readonly List<PacerTicket> _inFlight = new List<PacerTicket>();
        private double _rate;
        private double _tokens;
        private TimeSpan _tokensAt;
        private TimeSpan _pausedUntil;
        private TimeSpan _lastCutAt = TimeSpan.MinValue;
        private TimeSpan _lastAnswerAt;
        private bool _rateWasBinding;
        private long _sequence;
        private double? _level;
        private long _levelSequence;
        private TimeSpan _probeInterval;
        private TimeSpan _nextProbeAt;

        public AdaptiveWritePacer(PacerSettings? settings, IClock clock)
        {
            _settings = settings ?? new PacerSettings();
            _settings.Validate();
            _clock = clock ?? throw new ArgumentNullException(nameof(clock));
            _rate = _settings.InitialWritesPerSecond;
            _tokens = BucketCapacity;
            _tokensAt = _clock.Now;
            _lastAnswerAt = _tokensAt;
            _probeInterval = _settings.MinProbeInterval;
        }

        public double WritesPerSecond => _rate;
        /// <summary>The latest x-ms-throttle-limit-percentage; null while Graph sends none (below 80 % of the limit).</summary>
        public double? LimitPercentage => _level;
        public long ThrottledWrites { get; private set; }

        // Rounding of time to ticks must not leave a batch waiting for a billionth of a token.
        private const double TokenTolerance = 1e-6;

        private double BucketCapacity => Math.Max(_settings.MaxBatchSize, _rate * 0.1);

        /// <summary>Asks to send up to <paramref name="writesReady"/> writes as one batch.</summary>
        public PacerDecision Acquire(int writesReady)
        {
            var now = _clock.Now;
            if (writesReady <= 0 || _inFlight.Count >= _settings.MaxBatchesInFlight)
            {
                return PacerDecision.WaitForAnswer();
            }

            if (now < _pausedUntil)
            {
                return PacerDecision.WaitFor(_pausedUntil - now);
            }

            var writes = Math.Min(_settings.MaxBatchSize, writesReady);
            var isProbe = false;
            var headroom = Headroom();
            if (headroom < 1)
            {
                if (_inFlight.Count > 0)
                {
                    return PacerDecision.WaitForAnswer();
                }

                if (now < _nextProbeAt)
                {
                    return PacerDecision.WaitFor(_nextProbeAt - now);
                }

                writes = 1;
                isProbe = true;
            }
            else if (headroom < writes)
            {
                writes = (int)headroom;
            }

            Refill(now);
            if (_tokens < writes - TokenTolerance)
            {
                _rateWasBinding = true;
                var wait = TimeSpan.FromTicks((long)Math.Ceiling((writes - _tokens) / _rate * TimeSpan.TicksPerSecond));
                return PacerDecision.WaitFor(wait > TimeSpan.Zero ? wait : TimeSpan.FromTicks(1));
            }

            _tokens = Math.Max(0, _tokens - writes);
            var ticket = new PacerTicket(++_sequence, writes, now, isProbe);
            _inFlight.Add(ticket);
            return PacerDecision.Send(ticket);
        }

        /// <summary>Feeds back Graph's answers to a batch: percentage, 429s and their Retry-After.</summary>
        public void Answered(PacerTicket ticket, IReadOnlyList<WriteOutcome> outcomes)
        {
            var now = _clock.Now;
            _inFlight.Remove(ticket);
            double? percentage = null;
            var limited = 0;
            var writeLimited = false;
            var retryAfter = TimeSpan.Zero;
            var anySuccess = false;
            foreach (var outcome in outcomes)
            {
                if (outcome.ThrottleLimitPercentage.HasValue)
                {
                    percentage = Math.Max(percentage ?? 0, outcome.ThrottleLimitPercentage.Value);
                }

                if (outcome.Status == 429)
                {
                    ThrottledWrites++;
                    var limit = LimitOf(outcome);
                    if (limit == Limit.None)
                    {
                        continue;
                    }

                    limited++;
                    writeLimited |= limit == Limit.Writes;
                    var wait = outcome.RetryAfter ?? _settings.DefaultRetryAfter;
                    retryAfter = wait > retryAfter ? wait : retryAfter;
                }

                anySuccess |= outcome.Succeeded;
            }

            var previousLevel = _level;
            if (ticket.Sequence > _levelSequence && (percentage.HasValue || anySuccess || limited > 0))
            {
                // A success without the header means Graph saw less than 80 % of its limit used.
                _level = limited > 0 ? Math.Max(percentage ?? 1.0, 1.0) : percentage;
                _levelSequence = ticket.Sequence;
            }

            if (limited > 0)
            {
                if (now + retryAfter > _pausedUntil)
                {
                    _pausedUntil = now + retryAfter;
                }

                if (writeLimited)
                {
                    CutRate(ticket, now);
                }
            }
            else if (percentage >= 1.0)
            {
                CutRate(ticket, now);
            }
            else
            {
                GrowRate(percentage, now);
            }

            UpdateProbeInterval(ticket, previousLevel);
            _nextProbeAt = now + _probeInterval;
            _lastAnswerAt = now;
        }

        private enum Limit
        {
            /// <summary>A 429 sent under every limit (no limit named, percentage below 1.0).</summary>
            None,
            Writes,
            ResourceUnits,
        }

        private static Limit LimitOf(WriteOutcome outcome)
        {
            switch (ThrottledLimits.Of(outcome.ThrottleInformation, outcome.ThrottleLimitPercentage))
            {
                case ThrottledLimit.ResourceUnits:
                    return Limit.ResourceUnits;
                case ThrottledLimit.None:
                    return Limit.None;
                default:
                    // WriteLimitExceeded, a full limit not named, and CPULimitExceeded (no finer rule is published): slow down.
                    return Limit.Writes;
            }
        }

        /// <summary>The batch got no answer at all (whole request failed): nothing is learnt about the limit.</summary>
        public void Unanswered(PacerTicket ticket)
        {
            _inFlight.Remove(ticket);
            _lastAnswerAt = _clock.Now;
            _nextProbeAt = _lastAnswerAt + _probeInterval;
        }

        private double Headroom()
        {
            if (!_level.HasValue)
            {
                return double.PositiveInfinity;
            }

            var uncounted = 0;
            foreach (var ticket in _inFlight)
            {
                if (ticket.Sequence > _levelSequence)
                {
                    uncounted += ticket.Writes;
                }
            }

            return (_settings.TargetLimitPercentage - _level.Value) * _settings.WriteLimit - uncounted;
        }

        private void Refill(TimeSpan now)
        {
            var elapsed = (now - _tokensAt).TotalSeconds;
            if (elapsed > 0)
            {
                _tokens = Math.Min(BucketCapacity, _tokens + (_rate * elapsed));
                _tokensAt = now;
            }
        }

        private void CutRate(PacerTicket ticket, TimeSpan now)
        {
            // One cut per round trip: the batches already in flight when we cut answer with the same news.
            if (ticket.SentAt <= _lastCutAt)
            {
                return;
            }

            Refill(now);
            _rate = Math.Max(_settings.MinWritesPerSecond, _rate * _settings.ThrottledRateFactor);
            _tokens = Math.Min(_tokens, BucketCapacity);
            _lastCutAt = now;
            _rateWasBinding = false;
        }

        private void GrowRate(double? percentage, TimeSpan now)
        {
            if (_rateWasBinding && !(percentage >= _settings.HoldRateAbovePercentage))
            {
                var doubling = _settings.RateDoublingTime.TotalSeconds * (percentage.HasValue ? 4 : 1);
                var elapsed = Math.Min((now - _lastAnswerAt).TotalSeconds, doubling);
                Refill(now);
                _rate = Math.Min(_settings.MaxWritesPerSecond, _rate * Math.Pow(2, elapsed / doubling));
            }

            _rateWasBinding = false;
        }

        private void UpdateProbeInterval(PacerTicket ticket, double? previousLevel)
        {
            var drained = !_level.HasValue || (previousLevel.HasValue && _level.Value < previousLevel.Value);
            if (drained || Headroom() >= 1)
            {
                _probeInterval = _settings.MinProbeInterval;
            }
            else if (ticket.IsProbe)
            {
                var doubled = TimeSpan.FromTicks(_probeInterval.Ticks * 2);
                _probeInterval = doubled > _settings.MaxProbeInterval ? _settings.MaxProbeInterval : doubled;
            }
        }
    }
}
