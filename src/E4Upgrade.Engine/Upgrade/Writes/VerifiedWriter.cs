using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Pacing;
using E4Upgrade.Engine.Resilience;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>What became of one verified write: Graph's answer, or a read that showed the change in place.</summary>
    internal sealed class VerifiedWrite
    {
        public VerifiedWrite(WriteOutcome outcome, bool readBack, int attempts)
        {
            Outcome = outcome;
            ReadBack = readBack;
            Attempts = attempts;
        }

        /// <summary>The last answer; a 200 when a read showed that the write had landed.</summary>
        public WriteOutcome Outcome { get; }
        /// <summary>The write counts as done because a read after the replication lag showed it, not because of an answer.</summary>
        public bool ReadBack { get; }
        public int Attempts { get; }
        public bool Succeeded => Outcome.Succeeded;
    }

    /// <summary>
    /// The one verified write for changes sent outside the move engine: a group's assignLicense and Stop-E4Subscription's
    /// removals (users moved by the engine get the same rule from Moves/Users/UserMoveMachine). A 429 is sent again after
    /// its Retry-After. An answer that does not say whether the change was applied (no answer, 408, 5xx) is never followed
    /// by a resend straight away: once the replication lag has passed the target is read back, and a write that shows is
    /// done. A definite refusal of a write that was sent before without a definite answer is read back the same way before
    /// it counts as failed, since Graph refuses a change that has already landed (removing a license the user no longer
    /// has, swapping a group that no longer assigns the source). Reads may show an older state for a while after a write
    /// (https://learn.microsoft.com/en-us/graph/best-practices-concept, "eventual consistency").
    /// </summary>
    internal sealed class VerifiedWriter
    {
        private readonly IClock _clock;
        private readonly TimeSpan _replicationLag;
        private readonly int _attempts;
        private readonly Backoff _backoff;

        /// <param name="attempts">Sends per write at most (at least 1).</param>
        public VerifiedWriter(IClock clock, TimeSpan replicationLag, int attempts, Backoff backoff)
        {
            _clock = clock ?? throw new ArgumentNullException(nameof(clock));
            _replicationLag = replicationLag < TimeSpan.Zero ? TimeSpan.Zero : replicationLag;
            _attempts = Math.Max(1, attempts);
            _backoff = backoff ?? throw new ArgumentNullException(nameof(backoff));
        }

        /// <summary>429 answers seen (for the run's throttling count).</summary>
        public int Throttled { get; private set; }

        /// <summary>
        /// Sends the writes named by <paramref name="keys"/> until each has a definite result. <paramref name="send"/> sends
        /// the given keys and answers one outcome per key (RequestId = key; a missing one counts as no answer);
        /// <paramref name="landed"/> reads the targets of the given keys and answers those whose change shows.
        /// </summary>
        public async Task<IReadOnlyDictionary<string, VerifiedWrite>> SendAsync(
            IReadOnlyList<string> keys,
            Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyList<WriteOutcome>>> send,
            Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyCollection<string>>> landed,
            CancellationToken cancellationToken)
        {
            var results = new Dictionary<string, VerifiedWrite>(StringComparer.OrdinalIgnoreCase);
            var unsure = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var open = keys.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            for (var attempt = 1; open.Count > 0; attempt++)
            {
                var answers = await send(open, cancellationToken).ConfigureAwait(false);
                var retry = new List<string>();
                var readBack = new List<(string Key, WriteOutcome Answer, bool Final)>();
                var wait = TimeSpan.Zero;
                foreach (var key in open)
                {
                    var answer = answers.FirstOrDefault(a => string.Equals(a.RequestId, key, StringComparison.OrdinalIgnoreCase)) ?? new WriteOutcome { RequestId = key };
                    var kind = RetryClassifier.OfStatus(answer.Status);
                    if (answer.Succeeded)
                    {
                        results[key] = new VerifiedWrite(answer, readBack: false, attempt);
                        continue;
                    }

                    if (kind == RetryKind.Throttled)
                    {
                        Throttled++;
                    }

                    if (kind == RetryKind.Unanswered)
                    {
                        unsure.Add(key);
                    }

                    var last = attempt >= _attempts;
                    if (kind == RetryKind.None || last)
                    {
                        if (unsure.Contains(key))
                        {
                            readBack.Add((key, answer, Final: true));
                        }
                        else
                        {
                            results[key] = new VerifiedWrite(answer, readBack: false, attempt);
                        }

                        continue;
                    }

                    wait = Max(wait, _backoff.After(attempt, answer.RetryAfter));
                    if (kind == RetryKind.Unanswered)
                    {
                        readBack.Add((key, answer, Final: false));
                    }
                    else
                    {
                        retry.Add(key);
                    }
                }

                if (readBack.Count > 0)
                {
                    // A read sooner than the lag may still show the target as it was before the write.
                    wait = Max(wait, _replicationLag);
                }

                if (wait > TimeSpan.Zero && (retry.Count > 0 || readBack.Count > 0))
                {
                    await _clock.DelayAsync(wait, cancellationToken).ConfigureAwait(false);
                }

                if (readBack.Count > 0)
                {
                    var shown = new HashSet<string>(await landed(readBack.Select(r => r.Key).ToList(), cancellationToken).ConfigureAwait(false), StringComparer.OrdinalIgnoreCase);
                    foreach (var (key, answer, final) in readBack)
                    {
                        if (shown.Contains(key))
                        {
                            results[key] = new VerifiedWrite(new WriteOutcome { RequestId = key, Status = 200 }, readBack: true, attempt);
                        }
                        else if (final)
                        {
                            results[key] = new VerifiedWrite(answer, readBack: false, attempt);
                        }
                        else
                        {
                            retry.Add(key);
                        }
                    }
                }

                open = retry;
            }

            return results;
        }

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    }
}
