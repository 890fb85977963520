using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>
    /// Everything fixed for a whole move, resolved and checked once before any write: both SKUs, the plan override, the
    /// usage location, and the seat ledger that every pass of the move draws on. Built by <see cref="LicenseMoveEngine.PlanAsync"/>.
    /// </summary>
    public sealed class MovePlan
    {
        private MovePlan(MoveOptions options, MoveDecider decider, string? usageLocation)
        {
            Options = options;
            Decider = decider;
            UsageLocation = usageLocation;
            Seats = new SeatLedger(decider.Target.AvailableUnits);
        }

        public MoveOptions Options { get; }
        internal MoveDecider Decider { get; }
        public string? UsageLocation { get; }
        public SkuInfo Source => Decider.Source;
        public SkuInfo Target => Decider.Target;
        /// <summary>The target's free seats for every run of this plan: a second pass goes on from what the first took.</summary>
        internal SeatLedger Seats { get; }

        internal static async Task<MovePlan> PrepareAsync(ILicensingGateway gateway, MoveOptions options, CancellationToken cancellationToken)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            var skus = await gateway.GetSubscribedSkusAsync(cancellationToken).ConfigureAwait(false);
            return Create(skus, options);
        }

        /// <summary>The plan for the tenant's SKUs as read; throws E4UpgradeException for a whole-run problem.</summary>
        internal static MovePlan Create(IReadOnlyList<SkuInfo> skus, MoveOptions options)
        {
            var resolver = new SkuResolver(skus);
            var source = resolver.Resolve(options.FromSku);
            var target = resolver.Resolve(options.ToSku);
            if (source.SkuId == target.SkuId)
            {
                throw new E4UpgradeException(
                    ErrorIds.NotEligible, ErrorCategoryNames.InvalidArgument,
                    $"The source and target are the same SKU ({source.SkuPartNumber}); nothing to move.");
            }

            if (!string.Equals(target.AppliesTo, "User", StringComparison.OrdinalIgnoreCase))
            {
                throw new E4UpgradeException(
                    ErrorIds.NotEligible, ErrorCategoryNames.InvalidArgument,
                    $"{target.SkuPartNumber} applies to '{target.AppliesTo}', not to users; it cannot be assigned to a user.");
            }

            var usageLocation = UsageLocationCode.Normalize(options.UsageLocation);
            var overrideMapping = options.DisabledPlans == null ? null : new DisabledPlanMapper(source, target).Override(options.DisabledPlans);
            return new MovePlan(options, new MoveDecider(source, target, overrideMapping, usageLocation), usageLocation);
        }
    }
}
