using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Pacing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// Everything Start-E4Upgrade decides before its first write, from one read of subscribedSkus: the source and target
    /// (<see cref="UpgradeSkus"/>, with the findings when they cannot be used), the plan mapper every phase shares, the
    /// move plan of the direct phase (its seat ledger, options, checks), the journal header, and what the journal at
    /// the path already holds (finished users for plan mode; its learnt rules, reviewed). Eligibility, the direct phase
    /// and the group phase all take it from here.
    /// </summary>
    internal sealed class UpgradePlan
    {
        private UpgradePlan(UpgradeSkus skus)
        {
            Skus = skus;
        }

        public UpgradeSkus Skus { get; }
        public SkuInfo Source => Skus.Source ?? throw new InvalidOperationException("The plan has no source.");
        public CompoundTarget Target => Skus.Target ?? throw new InvalidOperationException("The plan has no target.");
        /// <summary>Null when the SKUs cannot be used (eligibility then refuses the run).</summary>
        public CompoundPlanMapper? Mapper { get; private set; }
        public MovePlan? Moves { get; private set; }
        public JournalHeader? Header { get; private set; }
        public string? JournalPath { get; private set; }
        /// <summary>Where the journal lives (a file or a blob, see JournalStores); JournalPath is its Location.</summary>
        public IJournalStore? JournalStore { get; private set; }
        /// <summary>The journal at the path, read without a lock, when it is one of this run; empty otherwise.</summary>
        public JournalState Prior { get; private set; } = new JournalState();
        public LearntRuleReview? Rules { get; private set; }

        /// <summary>Findings the plan adds to eligibility's (a learnt rule that would switch off a core service).</summary>
        public IReadOnlyList<EligibilityFinding> Findings =>
            Rules?.Finding(JournalPath ?? "") is { } finding ? new[] { finding } : Array.Empty<EligibilityFinding>();

        public static async Task<UpgradePlan> ReadAsync(ILicensingGateway gateway, UpgradeOptions options, PlanDependencies dependencies, DateTimeOffset started,
            IClock clock, CancellationToken cancellationToken)
        {
            var skus = await gateway.GetSubscribedSkusAsync(cancellationToken).ConfigureAwait(false);
            var plan = new UpgradePlan(UpgradeSkus.Select(skus, options.SourceSku, options.TargetSkus));
            if (!plan.Skus.Usable)
            {
                return plan;
            }

            var source = plan.Source;
            var target = plan.Target;
            plan.Mapper = new CompoundPlanMapper(source, target, dependencies);
            plan.Moves = MovePlan.Create(skus, source, target, plan.Mapper, new MoveOptions
            {
                FromSku = source.SkuId.ToString(),
                ToSkus = target.SkuIds.Select(id => id.ToString()).ToList(),
                RemoveRedundantAddOns = options.RemoveRedundantAddOns,
                DisabledPlans = options.DisabledPlans,
                UsageLocation = options.UsageLocation,
                PlanOnly = options.PlanOnly,
            });

            // Named after the suite only: a run with other add-ons finds this journal and is refused (CompoundTargetChanged).
            plan.JournalStore = JournalStores.For(options.JournalPath ?? UpgradeJournal.DefaultPath(options.TenantId, source.SkuPartNumber, target.Suite.SkuPartNumber), options.JournalAccess, clock);
            plan.JournalPath = plan.JournalStore.Location;
            plan.Header = new JournalHeader
            {
                TenantId = options.TenantId,
                SourceSku = source.SkuPartNumber,
                SourceSkuId = source.SkuId,
                TargetSku = target.PartNumbers,
                TargetSkuId = target.Suite.SkuId,
                TargetAddOnSkuIds = target.AddOns.Select(a => a.SkuId).ToList(),
                OptionsHash = UpgradeJournal.HashOptions(
                    options.DisabledPlans == null ? null : string.Join(",", options.DisabledPlans.OrderBy(p => p, StringComparer.OrdinalIgnoreCase)),
                    options.UsageLocation?.ToUpperInvariant()),
                Started = started,
                // As given (-AcceptFinding): a warning accepted changes the run too (GroupMemberConflicts swaps such groups).
                AcceptedFindings = (options.AcceptedFindings ?? Array.Empty<string>()).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
                RanBy = Environment.UserName + " on " + Environment.MachineName,
            };

            // Read without a lock and without changing it: a file that is not a journal is refused here, before any write.
            var prior = JournalState.Read(plan.JournalStore);
            if (prior.Header != null && plan.Header.Matches(prior.Header, plan.JournalPath))
            {
                plan.Prior = prior;
                plan.Rules = LearntRuleReview.Of(prior.LearntDependencies, source, target);
            }

            return plan;
        }
    }
}
