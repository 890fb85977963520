using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Licensing
{
    /// <summary>
    /// Carries a user's disabled plans from the source SKU to the target SKU. A disabled source plan maps to the
    /// same plan id when the target has it, otherwise to the target plan of the same service: the name without its
    /// trailing tier number (FORMS_PLAN_E3 to FORMS_PLAN_E5, BPOS_S_TODO_2 to BPOS_S_TODO_3, FLOW_O365_P2 to
    /// FLOW_O365_P3). Plans with no counterpart are dropped and reported. No id outside the target is ever returned.
    /// One SKU's step of <see cref="CompoundPlanMapper"/>, which every caller uses (a single target is a compound of one).
    /// </summary>
    internal sealed class DisabledPlanMapper
    {
        private readonly SkuInfo _source;
        private readonly SkuInfo _target;
        private readonly Dictionary<Guid, ServicePlan> _sourcePlansById;
        private readonly Dictionary<Guid, ServicePlan> _targetPlansById;
        private readonly Dictionary<Guid, ServicePlan?> _counterparts = new Dictionary<Guid, ServicePlan?>();
        private readonly HashSet<Guid> _targetPlansWithSourceCounterpart = new HashSet<Guid>();

        public DisabledPlanMapper(SkuInfo source, SkuInfo target)
        {
            _source = source ?? throw new ArgumentNullException(nameof(source));
            _target = target ?? throw new ArgumentNullException(nameof(target));
            _sourcePlansById = ById(source.ServicePlans);
            // A plan that applies to the company (servicePlanInfo.appliesTo "Company", e.g. ADALLOM_S_O365 in Microsoft's own
            // subscribedSkus example) is the tenant's, not a user's: it is never a counterpart, so never a user's disabled plan.
            _targetPlansById = ById(target.ServicePlans.Where(p => !CompanyPlans.AppliesToCompany(p)).ToList());
            foreach (var sourcePlan in _sourcePlansById.Values)
            {
                var counterpart = _targetPlansById.TryGetValue(sourcePlan.ServicePlanId, out var same)
                    ? same
                    : SameServiceInTarget(sourcePlan.ServicePlanName);
                _counterparts[sourcePlan.ServicePlanId] = counterpart;
                if (counterpart != null)
                {
                    _targetPlansWithSourceCounterpart.Add(counterpart.ServicePlanId);
                }
            }
        }

        public SkuInfo Source => _source;
        public SkuInfo Target => _target;

        /// <summary>The target plan ids a user's disabled source plans map to, each once, in the order given.</summary>
        public IReadOnlyList<Guid> Map(IReadOnlyList<Guid> sourceDisabledPlans)
        {
            var targetIds = new List<Guid>();
            foreach (var planId in (sourceDisabledPlans ?? Array.Empty<Guid>()).Distinct())
            {
                var counterpart = TargetCounterpart(planId);
                if (counterpart != null && !targetIds.Contains(counterpart.ServicePlanId))
                {
                    targetIds.Add(counterpart.ServicePlanId);
                }
            }

            return targetIds;
        }

        /// <summary>Names of the disabled source plans with no counterpart in this target (e.g. MCOVOICECONF).</summary>
        public IReadOnlyList<string> Dropped(IReadOnlyList<Guid> sourceDisabledPlans) =>
            (sourceDisabledPlans ?? Array.Empty<Guid>()).Distinct().Where(id => TargetCounterpart(id) == null).Select(SourcePlanName).ToList();

        /// <summary>
        /// The disabled plans to send when the user already holds the target directly as well as the source: a target
        /// plan stays disabled only if it is disabled on the held target and its source counterpart is disabled too
        /// (or the source has none), so the swap never takes away a service the user has today.
        /// </summary>
        public IReadOnlyList<Guid> Merge(IReadOnlyList<Guid> sourceDisabledPlans, IReadOnlyList<Guid> heldTargetDisabledPlans)
        {
            var mappedSet = new HashSet<Guid>(Map(sourceDisabledPlans));
            return (heldTargetDisabledPlans ?? Array.Empty<Guid>()).Distinct()
                .Where(id => _targetPlansById.ContainsKey(id) && (!_targetPlansWithSourceCounterpart.Contains(id) || mappedSet.Contains(id)))
                .ToList();
        }

        /// <summary>Names of source plans (for reporting); unknown ids are shown as the id.</summary>
        public IReadOnlyList<string> SourcePlanNames(IReadOnlyList<Guid> planIds) =>
            (planIds ?? Array.Empty<Guid>()).Distinct().Select(SourcePlanName).ToList();

        private ServicePlan? TargetCounterpart(Guid sourcePlanId)
        {
            if (_counterparts.TryGetValue(sourcePlanId, out var counterpart))
            {
                return counterpart;
            }

            // A disabled plan the source SKU does not list: keep it only if the target has that very id.
            return _targetPlansById.TryGetValue(sourcePlanId, out var same) ? same : null;
        }

        /// <summary>The target plan whose name is the source name with another trailing tier number; the nearest higher tier wins.</summary>
        private ServicePlan? SameServiceInTarget(string sourcePlanName)
        {
            if (!PlanTier.Split(sourcePlanName, out var stem, out var sourceTier))
            {
                return null;
            }

            var candidates = _target.ServicePlans
                .Select(p => PlanTier.Split(p.ServicePlanName, out var s, out var t) && string.Equals(s, stem, StringComparison.OrdinalIgnoreCase)
                    ? new { Plan = p, Tier = t }
                    : null)
                .Where(c => c != null)
                .Select(c => c!)
                .ToList();
            if (candidates.Count == 0)
            {
                return null;
            }

            var higher = candidates.Where(c => c.Tier >= sourceTier).OrderBy(c => c.Tier).FirstOrDefault();
            return (higher ?? candidates.OrderByDescending(c => c.Tier).First()).Plan;
        }

        private string SourcePlanName(Guid planId) =>
            _sourcePlansById.TryGetValue(planId, out var plan) ? plan.ServicePlanName : planId.ToString();

        private static Dictionary<Guid, ServicePlan> ById(IReadOnlyList<ServicePlan> plans)
        {
            var map = new Dictionary<Guid, ServicePlan>();
            foreach (var plan in plans ?? Array.Empty<ServicePlan>())
            {
                map[plan.ServicePlanId] = plan;
            }

            return map;
        }
    }
}
