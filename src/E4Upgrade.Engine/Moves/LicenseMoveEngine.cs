using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>
    /// Moves users from one SKU to another with one assignLicense per user that adds the target and removes the source
    /// together, 20 per $batch with several batches in flight, paced under Graph's write limit, retried per item, and
    /// re-read before any retry whose outcome is unknown. Results stream out in completion order, one per distinct user.
    /// Whole-run problems (either SKU unknown, source = target, an invalid -DisabledPlans or -UsageLocation) throw
    /// E4UpgradeException before any write; a 401/403 stops the run with E4UpgradeException TokenExpired/AccessDenied
    /// after the results of writes already sent; cancellation reports every user taken from the input, then throws
    /// OperationCanceledException. Retries are owned here; the gateway makes one attempt per write.
    /// </summary>
    public sealed class LicenseMoveEngine
    {
        private readonly ILicensingGateway _gateway;
        private readonly MoveEngineSettings _settings;

        public LicenseMoveEngine(ILicensingGateway gateway, MoveEngineSettings? settings = null)
        {
            _gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
            _settings = settings ?? new MoveEngineSettings();
            _settings.Validate();
        }

        /// <summary>
        /// Resolves both SKUs and checks the options once, before any write (throws E4UpgradeException for a whole-run
        /// problem). Pass the plan to every <c>MoveAsync</c> of the same move.
        /// </summary>
        /// <param name="dependencies">Plan dependencies shared with the rest of a run (a rule learnt from one 400 serves every user); new when null.</param>
        public Task<MovePlan> PlanAsync(MoveOptions options, CancellationToken cancellationToken, PlanDependencies? dependencies = null) =>
            MovePlan.PrepareAsync(_gateway, options, cancellationToken, dependencies);

        /// <summary>Moves users named by object id or userPrincipalName; each is read (20 per $batch) before the decision.</summary>
        public IAsyncEnumerable<MoveResult> MoveAsync(
            IAsyncEnumerable<UserReference> users,
            MovePlan plan,
            IProgress<MoveProgress>? progress,
            CancellationToken cancellationToken) =>
            RunAsync(MoveInput.From(users ?? throw new ArgumentNullException(nameof(users))), plan, progress, cancellationToken);

        /// <summary>Moves users already read with their licenses (e.g. listed as holders of the source SKU); no initial read.</summary>
        public IAsyncEnumerable<MoveResult> MoveAsync(
            IAsyncEnumerable<UserLicenses> users,
            MovePlan plan,
            IProgress<MoveProgress>? progress,
            CancellationToken cancellationToken) =>
            RunAsync(MoveInput.From(users ?? throw new ArgumentNullException(nameof(users))), plan, progress, cancellationToken);

        private async IAsyncEnumerable<MoveResult> RunAsync(
            IAsyncEnumerable<MoveInput> input,
            MovePlan plan,
            IProgress<MoveProgress>? progress,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (plan == null)
            {
                throw new ArgumentNullException(nameof(plan));
            }

            var run = new MoveScheduler(_gateway, _settings, plan, input, progress, cancellationToken);
            try
            {
                while (true)
                {
                    var results = await run.NextResultsAsync().ConfigureAwait(false);
                    if (results == null)
                    {
                        yield break;
                    }

                    foreach (var result in results)
                    {
                        yield return result;
                    }
                }
            }
            finally
            {
                await run.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
