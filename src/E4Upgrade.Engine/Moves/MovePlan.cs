using System;
using System.Collections.Generic;
using System.Linq;
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
            Seats = new SeatLedger(decider.Target.Skus.ToDictionary(s => s.SkuId, s => s.AvailableUnits));
        }

        public MoveOptions Options { get; }
        internal MoveDecider Decider { get; }
        public string? UsageLocation { get; }
        public SkuInfo Source => Decider.Source;
        /// <summary>The target: a suite and its add-ons.</summary>
        public CompoundTarget Target => Decider.Target;
        /// <summary>The target's free seats for every run of this plan: a second pass goes on from what the first took.</summary>
        internal SeatLedger Seats { get; }

        internal static async Task<MovePlan> PrepareAsync(ILicensingGateway gateway, MoveOptions options, CancellationToken cancellationToken, PlanDependencies? dependencies = null)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            var skus = await gateway.GetSubscribedSkusAsync(cancellationToken).ConfigureAwait(false);
            return Create(skus, options, dependencies);
        }

        /// <summary>The plan for the tenant's SKUs as read; throws E4UpgradeException for a whole-run problem.</summary>
        internal static MovePlan Create(IReadOnlyList<SkuInfo> skus, MoveOptions options, PlanDependencies? dependencies = null)
        {
            var resolver = new SkuResolver(skus);
            var source = resolver.Resolve(options.FromSku);
            var target = resolver.ResolveTarget(options.ToSkus);
            return Create(skus, source, target, new CompoundPlanMapper(source, target, dependencies ?? new PlanDependencies()), options);
        }

        /// <summary>
        /// The plan for SKUs already resolved (the upgrade resolves them once, for eligibility and every phase), with the
        /// mapper the rest of the run shares. Throws E4UpgradeException for a whole-run problem.
        /// </summary>
        internal static MovePlan Create(IReadOnlyList<SkuInfo> skus, SkuInfo source, CompoundTarget target, CompoundPlanMapper mapper, MoveOptions options)
        {
            if (MoveTargetRules.Problem(source, target) is { } problem)
            {
                throw new E4UpgradeException(ErrorIds.NotEligible, ErrorCategoryNames.InvalidArgument, problem.Message);
            }

            var usageLocation = UsageLocationCode.Normalize(options.UsageLocation);
            if (options.DisabledPlans != null)
            {
                mapper.Override(options.DisabledPlans); // an invalid plan name stops here, before any write
            }

            var addOns = options.RemoveRedundantAddOns ? new RedundantAddOns(skus, source, target) : null;
            return new MovePlan(options, new MoveDecider(source, target, mapper, options.DisabledPlans, addOns, usageLocation), usageLocation);
        }
    }
}
