using System;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Pacing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>Why a run stopped before its end on purpose.</summary>
    public enum RunStopReason
    {
        None,
        /// <summary>-MaxRunDuration was reached: the work continues in the next run.</summary>
        MaxRunDuration,
        /// <summary>The access token (-AccessToken, not refreshable) is about to expire.</summary>
        TokenExpiry,
    }

    /// <summary>
    /// The run's clock with an end: -MaxRunDuration after the start, or the access token's expiry less
    /// <see cref="TokenExpiryMargin"/>, whichever comes first. It is checked whenever the run reads the clock or waits
    /// (the write pacer before every batch, every poll of a group, every retry wait); once passed, the run's cancellation
    /// token is cancelled, which stops the run the way Ctrl-C does: no new write, the writes in flight answered and
    /// journaled, a group still processing left as sent for the next run to check.
    /// </summary>
    public sealed class RunDeadline : IClock, IDisposable
    {
        /// <summary>
        /// How long before the token's expiry the run stops: room for the batch in flight, its retries and the journal
        /// (our choice; Graph's per-request timeout is 100 s in the SDK's default HttpClient).
        /// </summary>
        public static readonly TimeSpan TokenExpiryMargin = TimeSpan.FromMinutes(3);

        private readonly IClock _clock;
        private readonly CancellationTokenSource _stop;
        private readonly TimeSpan _runEnd;
        private readonly TimeSpan _tokenEnd;

        /// <param name="clock">The run's clock; the deadline is measured on it (tests advance it).</param>
        /// <param name="maxRunDuration">-MaxRunDuration, or null for none.</param>
        /// <param name="tokenValidFor">How long the access token remains valid from now, or null when it is refreshed.</param>
        public RunDeadline(IClock clock, TimeSpan? maxRunDuration, TimeSpan? tokenValidFor, CancellationToken cancellationToken)
        {
            _clock = clock ?? throw new ArgumentNullException(nameof(clock));
            var now = clock.Now;
            _runEnd = maxRunDuration.HasValue ? now + maxRunDuration.Value : TimeSpan.MaxValue;
            _tokenEnd = tokenValidFor.HasValue ? now + tokenValidFor.Value - TokenExpiryMargin : TimeSpan.MaxValue;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }

        /// <summary>Cancelled by the caller or at the deadline.</summary>
        public CancellationToken Token => _stop.Token;

        /// <summary>Why the deadline stopped the run; None while it has not (or the caller cancelled).</summary>
        public RunStopReason Reason { get; private set; }

        /// <summary>Time left before the deadline (TimeSpan.MaxValue for none).</summary>
        public TimeSpan Remaining => End == TimeSpan.MaxValue ? TimeSpan.MaxValue : End - _clock.Now;

        public TimeSpan Now
        {
            get
            {
                var now = _clock.Now;
                StopIfPassed(now);
                return now;
            }
        }

        private TimeSpan End => _runEnd < _tokenEnd ? _runEnd : _tokenEnd;

        /// <summary>Stops the run at once when the deadline has already passed (checked at a phase boundary).</summary>
        public void Check() => StopIfPassed(_clock.Now);

        public async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
        {
            var left = Remaining;
            if (delay < left)
            {
                await _clock.DelayAsync(delay, cancellationToken).ConfigureAwait(false);
                StopIfPassed(_clock.Now);
                return;
            }

            // A wait past the deadline ends at the deadline.
            await _clock.DelayAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            StopIfPassed(_clock.Now);
        }

        private void StopIfPassed(TimeSpan now)
        {
            if (Reason != RunStopReason.None || _stop.IsCancellationRequested || now < End)
            {
                return;
            }

            Reason = _tokenEnd <= _runEnd ? RunStopReason.TokenExpiry : RunStopReason.MaxRunDuration;
            _stop.Cancel();
        }

        public void Dispose() => _stop.Dispose();
    }
}
