using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Licensing
{
    /// <summary>A service plan Graph refuses to enable unless other plans are enabled for the user too.</summary>
    public sealed class PlanDependency
    {
        public PlanDependency(string plan, IReadOnlyList<string> requires, string source)
        {
            Plan = plan;
            Requires = requires;
            Source = source;
        }

        public string Plan { get; }
        public IReadOnlyList<string> Requires { get; }
        /// <summary>Where the rule comes from (a public document or error report).</summary>
        public string Source { get; }
    }

    /// <summary>A target plan disabled beyond what the user had disabled, and why. Shown as "PLAN (SKU): why".</summary>
    public sealed class AdjustedPlan
    {
        public AdjustedPlan(string sku, string plan, string reason)
        {
            Sku = sku;
            Plan = plan;
            Reason = reason;
        }

        public string Sku { get; }
        public string Plan { get; }
        public string Reason { get; }

        public override string ToString() => $"{Plan} ({Sku}): {Reason}";
    }

    /// <summary>
    /// The engine's one home for plan dependencies: the rules known in advance (each with its source) plus those learnt
    /// from Graph's own 400 answers during a run. <see cref="Close"/> disables every target plan whose base plan is
    /// disabled for the user, so a carried-over disabled plan never makes Graph reject the assignment.
    ///
    /// Graph's message lists several plans ("depends on the service plan(s) a,b") without saying whether one of them
    /// is enough; no source says. A dependent plan therefore stays enabled only while every plan it names is enabled:
    /// that side is never rejected. A base plan that no SKU of the target has at all is not the user's choice, and is
    /// left to eligibility (ServiceLoss / FeatureLoss) rather than disabling plans here.
    /// </summary>
    public sealed class PlanDependencies
    {
        private const string AdminCenterSource =
            "Cayosoft KB20191011-1 (\"The add-on license cannot be assigned to the user without a corresponding service plans being assigned\"); " +
            "the admin center unchecks Teams Phone and Audio Conferencing when Teams / Skype for Business Online is unchecked; " +
            "Graph's 400 for the GCC counterpart: \"service plan f544b08d-… (MCOMEETADV_GOV) depends on the service plan(s) 304767db-… (TEAMS_GOV), a31ef4a2-… (MCOSTANDARD_GOV)\" (MicrosoftDocs/microsoft-365-docs pull request 3864). " +
            "See graph-licensing.md section 10.";

        /// <summary>Rules known in advance, by plan name (plan ids come from the tenant's own servicePlans).</summary>
        public static readonly IReadOnlyList<PlanDependency> Known = new[]
        {
            new PlanDependency("MCOMEETADV", new[] { "TEAMS1", "MCOSTANDARD" }, AdminCenterSource),
            new PlanDependency("MCOEV", new[] { "TEAMS1", "MCOSTANDARD" }, AdminCenterSource),
        };

        private static readonly Regex DependencyMessage = new Regex(
            @"service plan (?<plan>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}) depends on the service plan\(s\) (?<requires>[0-9a-fA-F\-,\s]+)",
            RegexOptions.CultureInvariant);

        private readonly object _gate = new object();
        private readonly List<(Guid Plan, Guid[] Requires)> _learnt = new List<(Guid, Guid[])>();

        /// <summary>
        /// Reads Graph's 400 "License assignment failed because service plan {id} depends on the service plan(s) {ids}"
        /// (public responses quoted in graph-licensing.md section 10).
        /// </summary>
        public static bool TryParse(string? message, out Guid plan, out IReadOnlyList<Guid> requires)
        {
            plan = Guid.Empty;
            requires = Array.Empty<Guid>();
            var match = DependencyMessage.Match(message ?? "");
            if (!match.Success || !Guid.TryParse(match.Groups["plan"].Value, out plan))
            {
                return false;
            }

            var ids = match.Groups["requires"].Value
                .Split(new[] { ',', ' ' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(t => Guid.TryParse(t, out var id) ? id : Guid.Empty)
                .Where(id => id != Guid.Empty)
                .ToList();
            requires = ids;
            return ids.Count > 0;
        }

        /// <summary>Adds a rule Graph stated in a 400; false when it was known already (so a retry would change nothing).</summary>
        public bool Learn(Guid plan, IReadOnlyList<Guid> requires)
        {
            lock (_gate)
            {
                var known = _learnt.Any(r => r.Plan == plan && new HashSet<Guid>(r.Requires).SetEquals(requires));
                if (!known)
                {
                    _learnt.Add((plan, requires.ToArray()));
                }

                return !known;
            }
        }

        /// <summary>
        /// Disables, in <paramref name="disabledBySku"/> (target SKU id to its disabled plan ids, changed in place), every
        /// enabled target plan whose base plan is disabled wherever the target has it; repeats until nothing changes.
        /// </summary>
        public IReadOnlyList<AdjustedPlan> Close(IReadOnlyList<SkuInfo> targetSkus, IDictionary<Guid, HashSet<Guid>> disabledBySku)
        {
            var rules = RulesFor(targetSkus);
            var adjusted = new List<AdjustedPlan>();
            bool changed;
            do
            {
                changed = false;
                foreach (var (plan, requires) in rules)
                {
                    foreach (var sku in targetSkus.Where(s => s.ServicePlans.Any(p => p.ServicePlanId == plan)))
                    {
                        var disabled = DisabledOf(disabledBySku, sku.SkuId);
                        if (disabled.Contains(plan))
                        {
                            continue;
                        }

                        var missing = requires.Where(r => IsPresent(targetSkus, r) && !IsEnabledSomewhere(targetSkus, disabledBySku, r)).ToList();
                        if (missing.Count == 0)
                        {
                            continue;
                        }

                        disabled.Add(plan);
                        changed = true;
                        adjusted.Add(new AdjustedPlan(sku.SkuPartNumber, PlanName(targetSkus, plan),
                            $"needs {string.Join(" and ", missing.Select(m => PlanName(targetSkus, m)))}, which {(missing.Count == 1 ? "is" : "are")} disabled for this user"));
                    }
                }
            }
            while (changed);

            return adjusted;
        }

        private List<(Guid Plan, Guid[] Requires)> RulesFor(IReadOnlyList<SkuInfo> targetSkus)
        {
            var byName = new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase);
            foreach (var plan in targetSkus.SelectMany(s => s.ServicePlans))
            {
                byName[plan.ServicePlanName] = plan.ServicePlanId;
            }

            var rules = new List<(Guid, Guid[])>();
            foreach (var rule in Known)
            {
                if (byName.TryGetValue(rule.Plan, out var plan))
                {
                    rules.Add((plan, rule.Requires.Where(byName.ContainsKey).Select(r => byName[r]).ToArray()));
                }
            }

            lock (_gate)
            {
                rules.AddRange(_learnt);
            }

            return rules;
        }

        private static HashSet<Guid> DisabledOf(IDictionary<Guid, HashSet<Guid>> disabledBySku, Guid skuId)
        {
            if (!disabledBySku.TryGetValue(skuId, out var disabled))
            {
                disabled = new HashSet<Guid>();
                disabledBySku[skuId] = disabled;
            }

            return disabled;
        }

        private static bool IsPresent(IReadOnlyList<SkuInfo> skus, Guid plan) =>
            skus.Any(s => s.ServicePlans.Any(p => p.ServicePlanId == plan));

        private static bool IsEnabledSomewhere(IReadOnlyList<SkuInfo> skus, IDictionary<Guid, HashSet<Guid>> disabledBySku, Guid plan) =>
            skus.Any(s => s.ServicePlans.Any(p => p.ServicePlanId == plan)
                && !(disabledBySku.TryGetValue(s.SkuId, out var disabled) && disabled.Contains(plan)));

        private static string PlanName(IReadOnlyList<SkuInfo> skus, Guid plan) =>
            skus.SelectMany(s => s.ServicePlans).FirstOrDefault(p => p.ServicePlanId == plan)?.ServicePlanName ?? plan.ToString();
    }
}
