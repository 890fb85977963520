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
    /// Polls subscribedSkus until every SKU of the target exists, is ready (see <see cref="SkuReadiness"/>: its core
    /// services provisioned) and has enough free seats: a newly bought subscription can take a while to provision.
    /// Throws E4UpgradeException TargetNotReady on timeout.
    /// </summary>
    internal sealed class TargetReadinessWaiter
    {
        private readonly ILicensingGateway _gateway;
        private readonly IClock _clock;
        private readonly IUpgradeReporter _reporter;

        public TargetReadinessWaiter(ILicensingGateway gateway, IClock clock, IUpgradeReporter reporter)
        {
            _gateway = gateway;
            _clock = clock;
            _reporter = reporter;
        }

        /// <param name="targetSkus">Each SKU of the target with the seats the upgrade needs of it.</param>
        public async Task WaitAsync(IReadOnlyList<(string Sku, int SeatsNeeded)> targetSkus, bool checkSeats, TimeSpan timeout, TimeSpan pollInterval, CancellationToken cancellationToken)
        {
            var targetSku = string.Join(" + ", targetSkus.Select(t => t.Sku));
            var startedAt = _clock.Now;
            _reporter.PhaseStarted(UpgradePhase.WaitForTarget, $"Waiting for {targetSku} to be ready (timeout {timeout})", (long)timeout.TotalSeconds);
            while (true)
            {
                var skus = await _gateway.GetSubscribedSkusAsync(cancellationToken).ConfigureAwait(false);
                var problems = targetSkus.SelectMany(t => Problems(SkuSelection.Find(skus, t.Sku), t.Sku, t.SeatsNeeded, checkSeats)).ToList();
                if (problems.Count == 0)
                {
                    _reporter.PhaseCompleted(UpgradePhase.WaitForTarget, $"{targetSku} is ready after {_clock.Now - startedAt:hh\\:mm\\:ss}.");
                    return;
                }

                var status = string.Join("; ", problems);
                var elapsed = _clock.Now - startedAt;
                if (elapsed >= timeout)
                {
                    throw new E4UpgradeException(ErrorIds.TargetNotReady, ErrorCategoryNames.OperationTimeout,
                        $"The target {targetSku} was not ready after {timeout}: {status}.");
                }

                _reporter.PhaseProgress(UpgradePhase.WaitForTarget, (long)elapsed.TotalSeconds, (long)timeout.TotalSeconds, status);
                var remaining = timeout - elapsed;
                await _clock.DelayAsync(remaining < pollInterval ? remaining : pollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        private static List<string> Problems(SkuInfo? target, string targetSku, int seatsNeeded, bool checkSeats)
        {
            var problems = new List<string>();
            if (target == null)
            {
                problems.Add($"{targetSku} is not in the tenant yet");
                return problems;
            }

            problems.AddRange(SkuReadiness.Problems(target).Select(p => target.SkuPartNumber + " " + p));
            if (checkSeats && target.AvailableUnits < seatsNeeded)
            {
                problems.Add($"{target.SkuPartNumber}: {target.AvailableUnits} free seats, {seatsNeeded} needed");
            }

            return problems;
        }
    }
}
