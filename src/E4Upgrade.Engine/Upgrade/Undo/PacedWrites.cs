using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Pacing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// Sends user writes as the move engine does: in $batch requests of up to 20, each batch when the run's
    /// <see cref="AdaptiveWritePacer"/> lets it go (Graph's write rate, its throttling headers, a 429's Retry-After), one
    /// batch at a time. A whole request that fails comes back as one unanswered outcome per write (status 0), which the
    /// verified write reads back before anything is sent again. Not thread-safe: one undo owns it.
    /// </summary>
    internal sealed class PacedWrites
    {
        private static readonly TimeSpan NoAnswerWait = TimeSpan.FromMilliseconds(50);
        private readonly ILicensingGateway _gateway;
        private readonly IClock _clock;
        private readonly AdaptiveWritePacer _pacer;

        public PacedWrites(ILicensingGateway gateway, IClock clock, PacerSettings pacer)
        {
            _gateway = gateway;
            _clock = clock;
            _pacer = new AdaptiveWritePacer(pacer, clock);
        }

        public async Task<IReadOnlyList<WriteOutcome>> SendAsync(IReadOnlyList<WriteRequest> writes, CancellationToken cancellationToken)
        {
            var outcomes = new List<WriteOutcome>();
            var rest = writes.ToList();
            while (rest.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var decision = _pacer.Acquire(rest.Count);
                if (decision.Ticket == null)
                {
                    await _clock.DelayAsync(decision.Wait ?? NoAnswerWait, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var batch = rest.Take(decision.Ticket.Writes).ToList();
                rest.RemoveRange(0, batch.Count);
                IReadOnlyList<WriteOutcome> answers;
                try
                {
                    answers = await _gateway.SendWritesAsync(batch, cancellationToken).ConfigureAwait(false);
                    _pacer.Answered(decision.Ticket, answers);
                }
                catch (Exception ex) when (!(ex is OperationCanceledException) && !(ex is E4UpgradeException))
                {
                    // The whole request failed (connection dropped, timeout, outer 5xx): every write's outcome is unknown.
                    _pacer.Unanswered(decision.Ticket);
                    answers = batch.Select(w => new WriteOutcome { RequestId = w.RequestId, Status = 0, ErrorMessage = ex.Message }).ToList();
                }
                catch
                {
                    _pacer.Unanswered(decision.Ticket);
                    throw;
                }

                outcomes.AddRange(answers);
            }

            return outcomes;
        }
    }
}
