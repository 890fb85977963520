using System;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>Everything fixed for a whole run, checked before any write: both SKUs, the plan override, the usage location.</summary>
    internal sealed class MovePlan
    {
        private MovePlan(MoveOptions options, MoveDecider decider, string? usageLocation)
        {
            Options = options;
            Decider = decider;
            UsageLocation = usageLocation;
        }

        public MoveOptions Options { get; }
        public MoveDecider Decider { get; }
        public string? UsageLocation { get; }
        public SkuInfo Source => Decider.Source;
        public SkuInfo Target => Decider.Target;

        public static async Task<MovePlan> PrepareAsync(ILicensingGateway gateway, MoveOptions options, CancellationToken cancellationToken)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            var skus = await gateway.GetSubscribedSkusAsync(cancellationToken).ConfigureAwait(false);
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
