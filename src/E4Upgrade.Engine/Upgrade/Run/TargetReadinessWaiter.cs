using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Pacing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// Polls subscribedSkus until the target exists, is Enabled, has every service plan set up and enough free seats:
    /// a newly bought subscription can take a while to provision. Throws E4UpgradeException TargetNotReady on timeout.
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

        public async Task WaitAsync(string targetSku, int seatsNeeded, bool checkSeats, TimeSpan timeout, TimeSpan pollInterval, CancellationToken cancellationToken)
        {
            var startedAt = _clock.Now;
            _reporter.PhaseStarted(UpgradePhase.WaitForTarget, $"Waiting for {targetSku} to be ready (timeout {timeout})", (long)timeout.TotalSeconds);
            while (true)
            {
                var skus = await _gateway.GetSubscribedSkusAsync(cancellationToken).ConfigureAwait(false);
                var target = SkuSelection.Find(skus, targetSku);
                var problems = Problems(target, targetSku, seatsNeeded, checkSeats);
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

            if (!SkuReadiness.IsEnabled(target))
            {
                problems.Add("status " + target.CapabilityStatus);
            }

            var pending = SkuReadiness.PlansNotSetUp(target);
            if (pending.Count > 0)
            {
                problems.Add("not fully set up: " + SkuReadiness.DescribePlans(pending));
            }

            if (checkSeats && target.AvailableUnits < seatsNeeded)
            {
                problems.Add($"{target.AvailableUnits} free seats, {seatsNeeded} needed");
            }

            return problems;
        }
    }
}
