using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Licensing
{
    /// <summary>The licenses to add for one user (every SKU of the target with its disabled plans) and how they came about.</summary>
    public sealed class CompoundPlanMapping
    {
        internal CompoundPlanMapping(
            IReadOnlyList<AssignedSku> adds,
            IReadOnlyList<string> targetDisabledPlanNames,
            IReadOnlyList<string> sourceDisabledPlanNames,
            IReadOnlyList<string> droppedPlanNames,
            IReadOnlyList<AdjustedPlan> adjustedPlans)
        {
            Adds = adds;
            TargetDisabledPlanNames = targetDisabledPlanNames;
            SourceDisabledPlanNames = sourceDisabledPlanNames;
            DroppedPlanNames = droppedPlanNames;
            AdjustedPlans = adjustedPlans;
        }

        /// <summary>One entry per target SKU, the suite first; each disabled plan is a plan of that SKU.</summary>
        public IReadOnlyList<AssignedSku> Adds { get; }
        public IReadOnlyList<string> TargetDisabledPlanNames { get; }
        public IReadOnlyList<string> SourceDisabledPlanNames { get; }
        /// <summary>Disabled source plans with no counterpart in any SKU of the target (e.g. MCOVOICECONF).</summary>
        public IReadOnlyList<string> DroppedPlanNames { get; }
        /// <summary>Target plans disabled because a plan they depend on is disabled (see <see cref="PlanDependencies"/>).</summary>
        public IReadOnlyList<AdjustedPlan> AdjustedPlans { get; }

        public IReadOnlyList<Guid> DisabledPlansOf(Guid skuId) =>
            Adds.FirstOrDefault(a => a.SkuId == skuId)?.DisabledPlans ?? Array.Empty<Guid>();
    }

    /// <summary>
    /// Carries a user's disabled plans from the source onto every SKU of a compound target (a plan disabled on E4 is
    /// disabled in whichever target SKU has its counterpart), then applies the plan dependencies so Graph accepts it.
    /// </summary>
    public sealed class CompoundPlanMapper
    {
        private readonly CompoundTarget _target;
        private readonly PlanDependencies _dependencies;
        private readonly IReadOnlyList<DisabledPlanMapper> _mappers;

        public CompoundPlanMapper(SkuInfo source, CompoundTarget target, PlanDependencies dependencies)
        {
            if (source == null) throw new ArgumentNullException(nameof(source));
            _target = target ?? throw new ArgumentNullException(nameof(target));
            _dependencies = dependencies ?? throw new ArgumentNullException(nameof(dependencies));
            _mappers = target.Skus.Select(sku => new DisabledPlanMapper(source, sku)).ToList();
        }

        public CompoundTarget Target => _target;
        public PlanDependencies Dependencies => _dependencies;

        /// <summary>Names of the source license's plans (for reporting); unknown ids are shown as the id.</summary>
        public IReadOnlyList<string> SourcePlanNames(IReadOnlyList<Guid> sourcePlanIds) => _mappers[0].SourcePlanNames(sourcePlanIds);

        /// <summary>
        /// Learns the dependency Graph named in refusing <paramref name="refused"/> (see <see cref="PlanDependencies.Learn"/>):
        /// the plans that write left enabled tell an all-of rule from an any-of one.
        /// </summary>
        public bool LearnFromRefusal(Guid plan, IReadOnlyList<Guid> requires, CompoundPlanMapping refused) =>
            _dependencies.Learn(plan, requires, EnabledPlans(refused));

        /// <summary>The target plans a mapping leaves enabled.</summary>
        public HashSet<Guid> EnabledPlans(CompoundPlanMapping mapping) =>
            new HashSet<Guid>(_target.Skus.SelectMany(sku =>
            {
                var disabled = new HashSet<Guid>(mapping.DisabledPlansOf(sku.SkuId));
                return sku.ServicePlans.Select(p => p.ServicePlanId).Where(id => !disabled.Contains(id));
            }));

        /// <summary>Maps the disabled plans of a user's (or group's) source license onto the target.</summary>
        public CompoundPlanMapping Map(IReadOnlyList<Guid> sourceDisabledPlans) =>
            Build(_mappers.Select(m => m.Map(sourceDisabledPlans)).ToList(), sourceDisabledPlans, carried: true);

        /// <summary>
        /// The mapping when the user already holds some target SKUs directly: those keep a disabled plan only where the
        /// user has it disabled today too (see <see cref="DisabledPlanMapper.Merge"/>).
        /// </summary>
        public CompoundPlanMapping Merge(IReadOnlyList<Guid> sourceDisabledPlans, IReadOnlyDictionary<Guid, IReadOnlyList<Guid>> heldTargetDisabledPlans) =>
            Build(_mappers.Select(m => heldTargetDisabledPlans != null && heldTargetDisabledPlans.TryGetValue(m.Target.SkuId, out var held)
                    ? m.Merge(sourceDisabledPlans, held)
                    : m.Map(sourceDisabledPlans)).ToList(),
                sourceDisabledPlans, carried: true);

        /// <summary>
        /// An explicit list of plans (names or ids) to disable, replacing the mapping: each is disabled in every target
        /// SKU that has it. Throws E4UpgradeException InvalidDisabledPlan for a plan of no target SKU.
        /// <paramref name="sourceDisabledPlans"/>, when given, is reported as the plans disabled before.
        /// </summary>
        public CompoundPlanMapping Override(IReadOnlyList<string> namesOrIds, IReadOnlyList<Guid>? sourceDisabledPlans = null)
        {
            var bySku = _target.Skus.ToDictionary(s => s.SkuId, _ => new List<Guid>());
            foreach (var raw in namesOrIds ?? Array.Empty<string>())
            {
                var text = (raw ?? "").Trim();
                var found = false;
                foreach (var sku in _target.Skus)
                {
                    var plan = Guid.TryParse(text, out var id)
                        ? sku.ServicePlans.FirstOrDefault(p => p.ServicePlanId == id)
                        : sku.ServicePlans.FirstOrDefault(p => string.Equals(p.ServicePlanName, text, StringComparison.OrdinalIgnoreCase));
                    if (plan != null && CompanyPlans.AppliesToCompany(plan))
                    {
                        throw new E4UpgradeException(
                            ErrorIds.InvalidDisabledPlan,
                            ErrorCategoryNames.InvalidArgument,
                            $"'{text}' ({plan.ServicePlanName}) applies to the whole organization, not to users: it cannot be disabled for a user.");
                    }

                    if (plan != null)
                    {
                        found = true;
                        if (!bySku[sku.SkuId].Contains(plan.ServicePlanId))
                        {
                            bySku[sku.SkuId].Add(plan.ServicePlanId);
                        }
                    }
                }

                if (!found)
                {
                    throw new E4UpgradeException(
                        ErrorIds.InvalidDisabledPlan,
                        ErrorCategoryNames.InvalidArgument,
                        $"'{text}' is not a service plan of {_target.PartNumbers}. Its plans: " +
                        string.Join(", ", _target.Plans.Select(p => p.ServicePlanName).Distinct(StringComparer.OrdinalIgnoreCase)) + ".");
                }
            }

            return Build(_target.Skus.Select(s => (IReadOnlyList<Guid>)bySku[s.SkuId]).ToList(), sourceDisabledPlans ?? Array.Empty<Guid>(), carried: false);
        }

        /// <param name="perSku">The plans to disable in each target SKU, in the target's order.</param>
        /// <param name="carried">True when <paramref name="perSku"/> was mapped from the source (so unmapped plans were dropped).</param>
        private CompoundPlanMapping Build(IReadOnlyList<IReadOnlyList<Guid>> perSku, IReadOnlyList<Guid> sourceDisabled, bool carried)
        {
            // Plans keep the order they were given or mapped in (the suite's first), dependants after them.
            var ordered = new Dictionary<Guid, List<Guid>>();
            var disabled = new Dictionary<Guid, HashSet<Guid>>();
            for (var i = 0; i < _target.Skus.Count; i++)
            {
                var sku = _target.Skus[i];
                ordered[sku.SkuId] = perSku[i].Distinct().ToList();
                disabled[sku.SkuId] = new HashSet<Guid>(ordered[sku.SkuId]);
            }

            var adjusted = _dependencies.Close(_target.Skus, disabled);
            foreach (var sku in _target.Skus)
            {
                // Closing over dependencies never disables a plan that applies to the company (CompanyPlans).
                disabled[sku.SkuId].ExceptWith(sku.ServicePlans.Where(CompanyPlans.AppliesToCompany).Select(p => p.ServicePlanId));
                ordered[sku.SkuId].RemoveAll(id => !disabled[sku.SkuId].Contains(id));
                ordered[sku.SkuId].AddRange(sku.ServicePlans.Select(p => p.ServicePlanId).Where(id => disabled[sku.SkuId].Contains(id) && !ordered[sku.SkuId].Contains(id)));
            }

            var adds = _target.Skus.Select(sku => new AssignedSku(sku.SkuId, ordered[sku.SkuId])).ToList();
            var names = _target.Skus
                .SelectMany(sku => ordered[sku.SkuId].Select(id => sku.ServicePlans.First(p => p.ServicePlanId == id).ServicePlanName))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
            var dropped = carried
                ? _mappers.Select(m => (IEnumerable<string>)m.Dropped(sourceDisabled)).Aggregate((a, b) => a.Intersect(b, StringComparer.OrdinalIgnoreCase)).ToList()
                : (IReadOnlyList<string>)Array.Empty<string>();
            return new CompoundPlanMapping(adds, names, SourcePlanNames(sourceDisabled), dropped, adjusted);
        }
    }
}
