using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Licensing
{
    /// <summary>Why group licensing would refuse the target for one member: the licenseAssignmentState error it would show.</summary>
    public sealed class MemberConflict
    {
        internal MemberConflict(string error, IReadOnlyList<string> plans, string explanation)
        {
            Error = error;
            Plans = plans;
            Explanation = explanation;
        }

        /// <summary>MutuallyExclusiveViolation, DependencyViolation or ProhibitedInUsageLocationViolation.</summary>
        public string Error { get; }
        public IReadOnlyList<string> Plans { get; }
        public string Explanation { get; }

        public override string ToString() => $"{Error}: {Explanation}";
    }

    /// <summary>
    /// Predicts, from the tenant's own data, which members a group swap would leave with neither license: group licensing
    /// removes E4 from every member at once and grants the target all-or-nothing per member, so a member for whom Graph
    /// would refuse the target (licenseAssignmentState error; Microsoft Entra "Identify and resolve license assignment problems for a group") ends unlicensed.
    /// Checked per member against what the member keeps (every active license except the source, which the swap or the
    /// direct phase replaces by the target) plus the target's enabled plans:
    /// * MutuallyExclusiveViolation: <see cref="PlanExclusions.Known"/>, only where the target brings one of the plans.
    /// * DependencyViolation: <see cref="PlanDependencies.Known"/>, a target plan whose rule the member's enabled plans
    ///   would break, as <see cref="PlanDependencies.IsBroken"/> reads every rule.
    ///   Graph's message lists alternatives and Microsoft sells Microsoft_365_E5_(no_Teams) with Teams Phone and Skype
    ///   for Business Online but no TEAMS1, so one named plan is enough. Dependencies learnt from a 400 during the run are
    ///   closed over by the plan mapper instead.
    /// * ProhibitedInUsageLocationViolation: Graph publishes no list of where a SKU may not be used, so it is predicted
    ///   only from the tenant itself: a user already showing that error for a target SKU with a usage location marks
    ///   that SKU and location, see <see cref="Learn"/>.
    /// Not predicted: a missing usage location (group licensing gives such members the directory's location,
    /// licensing-groups-resolve-problems); a rule broken by E4's own plans leaving (no source says what group licensing
    /// does then); UniquenessViolation (proxy addresses of other users are not read).
    /// </summary>
    public sealed class GroupMemberConflicts
    {
        public const string MutuallyExclusive = "MutuallyExclusiveViolation";
        public const string Dependency = "DependencyViolation";
        public const string ProhibitedInUsageLocation = "ProhibitedInUsageLocationViolation";

        private readonly Dictionary<Guid, SkuInfo> _skus;
        private readonly Guid _sourceSkuId;
        private readonly CompoundTarget _target;
        private readonly HashSet<(Guid Sku, string Location)> _prohibited = new HashSet<(Guid, string)>();

        public GroupMemberConflicts(IReadOnlyList<SkuInfo> tenantSkus, Guid sourceSkuId, CompoundTarget target)
        {
            _skus = (tenantSkus ?? throw new ArgumentNullException(nameof(tenantSkus))).GroupBy(s => s.SkuId).ToDictionary(g => g.Key, g => g.First());
            _sourceSkuId = sourceSkuId;
            _target = target ?? throw new ArgumentNullException(nameof(target));
        }

        /// <summary>Notes a target SKU this user's usage location is refused for (the user shows ProhibitedInUsageLocationViolation).</summary>
        public void Learn(UserLicenses user)
        {
            if (string.IsNullOrEmpty(user.UsageLocation))
            {
                return;
            }

            foreach (var state in user.AssignmentStates.Where(s => _target.Contains(s.SkuId) && string.Equals(s.Error, ProhibitedInUsageLocation, StringComparison.OrdinalIgnoreCase)))
            {
                _prohibited.Add((state.SkuId, user.UsageLocation!.ToUpperInvariant()));
            }
        }

        /// <summary>The first conflict the member would meet when a group adds <paramref name="adds"/>; null when none is known.</summary>
        public MemberConflict? Predict(UserLicenses member, IReadOnlyList<AssignedSku> adds)
        {
            var kept = EnabledPlans(member, keptOnly: true);
            var now = EnabledPlans(member, keptOnly: false);
            var added = new Dictionary<string, string>(PlanExclusions.Names);
            foreach (var add in adds)
            {
                if (!_skus.TryGetValue(add.SkuId, out var sku))
                {
                    continue;
                }

                foreach (var plan in sku.ServicePlans.Where(p => !add.DisabledPlans.Contains(p.ServicePlanId)))
                {
                    added[plan.ServicePlanName] = sku.SkuPartNumber;
                }
            }

            return Prohibited(member, adds) ?? Exclusion(kept, now, added) ?? MissingDependency(kept, now, added);
        }

        private MemberConflict? Prohibited(UserLicenses member, IReadOnlyList<AssignedSku> adds)
        {
            if (string.IsNullOrEmpty(member.UsageLocation))
            {
                return null;
            }

            var location = member.UsageLocation!.ToUpperInvariant();
            var barred = adds.Select(a => a.SkuId).FirstOrDefault(id => _prohibited.Contains((id, location)) && !LicenseHolding.Of(member, id).Held);
            return barred == Guid.Empty
                ? null
                : new MemberConflict(ProhibitedInUsageLocation, Array.Empty<string>(),
                    $"{PartNumber(barred)} is refused in usage location {location} in this tenant (another user there shows {ProhibitedInUsageLocation} for it)");
        }

        /// <summary>Graph refuses only a violation the change adds; one the user's licenses already have today is not new.</summary>
        private static MemberConflict? Exclusion(Dictionary<string, string> kept, Dictionary<string, string> now, Dictionary<string, string> added)
        {
            foreach (var rule in PlanExclusions.Known)
            {
                var fromKept = rule.Plans.Where(kept.ContainsKey).ToList();
                var fromTarget = rule.Plans.Where(added.ContainsKey).ToList();
                var all = fromKept.Concat(fromTarget).Distinct(PlanExclusions.Names).ToList();
                if (fromTarget.Count == 0 || all.Count < 2 || rule.Plans.Count(now.ContainsKey) >= 2)
                {
                    continue; // not a violation the swap would add
                }

                var other = fromKept.First(p => !fromTarget.Contains(p, PlanExclusions.Names));
                return new MemberConflict(MutuallyExclusive, all,
                    $"{string.Join(", ", fromTarget.Select(p => $"{p} ({added[p]})"))} cannot be held with {other} ({kept[other]}), which the user keeps");
            }

            return null;
        }

        private static MemberConflict? MissingDependency(Dictionary<string, string> kept, Dictionary<string, string> now, Dictionary<string, string> added)
        {
            foreach (var rule in PlanDependencies.Known.Where(r => added.ContainsKey(r.Plan)))
            {
                // Whatever the member holds can meet a rule, so every named plan counts as present.
                var brokenToday = now.ContainsKey(rule.Plan) && PlanDependencies.IsBroken(rule.Kind, rule.Requires, _ => true, now.ContainsKey);
                if (!brokenToday && PlanDependencies.IsBroken(rule.Kind, rule.Requires, _ => true, r => added.ContainsKey(r) || kept.ContainsKey(r)))
                {
                    return new MemberConflict(Dependency, new[] { rule.Plan },
                        rule.Kind == DependencyKind.AllOf
                            ? $"{rule.Plan} ({added[rule.Plan]}) needs all of {string.Join(", ", rule.Requires)}, and the user would not have them all enabled"
                            : $"{rule.Plan} ({added[rule.Plan]}) needs one of {string.Join(", ", rule.Requires)}, and the user would have none enabled");
                }
            }

            return null;
        }

        /// <summary>
        /// Plan name to the SKU supplying it, over the member's active licenses: with <paramref name="keptOnly"/> those the
        /// member keeps through the swap (not the source, not a target SKU the swap grants again), else all of them today.
        /// </summary>
        private Dictionary<string, string> EnabledPlans(UserLicenses member, bool keptOnly)
        {
            var plans = new Dictionary<string, string>(PlanExclusions.Names);
            var skuIds = member.AssignedLicenses.Select(a => a.SkuId).Concat(member.AssignmentStates.Select(s => s.SkuId)).Distinct();
            foreach (var skuId in skuIds)
            {
                if ((keptOnly && (skuId == _sourceSkuId || _target.Contains(skuId))) || !_skus.TryGetValue(skuId, out var sku))
                {
                    continue;
                }

                var holding = LicenseHolding.Of(member, skuId);
                if (!holding.Held)
                {
                    continue;
                }

                foreach (var plan in sku.ServicePlans.Where(p => !holding.UnusedPlans.Contains(p.ServicePlanId)))
                {
                    plans[plan.ServicePlanName] = sku.SkuPartNumber;
                }
            }

            return plans;
        }

        private string PartNumber(Guid skuId) => _skus.TryGetValue(skuId, out var sku) ? sku.SkuPartNumber : skuId.ToString();
    }
}
