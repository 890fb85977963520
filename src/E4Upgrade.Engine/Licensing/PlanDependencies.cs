using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Licensing
{
    /// <summary>Whether a dependent plan needs one of the plans it names (as Graph reads its lists, by public evidence) or every one.</summary>
    public enum DependencyKind
    {
        AnyOf,
        AllOf,
    }

    /// <summary>A service plan Graph refuses to enable unless other plans are enabled for the user too.</summary>
    public sealed class PlanDependency
    {
        public PlanDependency(string plan, IReadOnlyList<string> requires, DependencyKind kind, string source)
        {
            Plan = plan;
            Requires = requires;
            Kind = kind;
            Source = source;
        }

        public string Plan { get; }
        public IReadOnlyList<string> Requires { get; }
        public DependencyKind Kind { get; }
        /// <summary>Where the rule comes from (a public document or error report).</summary>
        public string Source { get; }
    }

    /// <summary>A rule Graph stated in a 400 during a run, by plan id (kept in the journal so the next run knows it in advance).</summary>
    public sealed class LearntDependency
    {
        public LearntDependency(Guid plan, IReadOnlyList<Guid> requires, DependencyKind kind)
        {
            Plan = plan;
            Requires = requires;
            Kind = kind;
        }

        public Guid Plan { get; }
        public IReadOnlyList<Guid> Requires { get; }
        public DependencyKind Kind { get; }
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
    /// The engine's one home for plan dependencies: the rules known in advance (<see cref="KnownPlanDependencies"/>, each
    /// with its source) plus those learnt from Graph's own 400 answers during a run. <see cref="Close"/> disables every
    /// target plan whose base is disabled for the user, so a carried-over disabled plan never makes Graph reject the write.
    ///
    /// Graph's message lists several plans ("depends on the service plan(s) a,b") without saying whether one is enough.
    /// The public evidence reads one (the admin center keeps Audio Conferencing while Teams or Skype for Business is on;
    /// it asks for "one of" the SharePoint plans for Office for the web), so a rule is any-of until Graph refuses a
    /// write that had one of its plans enabled: from then on, for the rest of the run, it is all-of. A base plan that no
    /// SKU of the target has at all is not the user's choice, and is left to eligibility (ServiceLoss / FeatureLoss).
    /// </summary>
    public sealed class PlanDependencies
    {
        /// <summary>Rules known in advance, by plan name (plan ids come from the tenant's own servicePlans).</summary>
        public static IReadOnlyList<PlanDependency> Known => KnownPlanDependencies.All;

        private static readonly Regex DependencyMessage = new Regex(
            @"service plan (?<plan>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}) depends on the service plan\(s\) (?<requires>[0-9a-fA-F\-,\s]+)",
            RegexOptions.CultureInvariant);

        private readonly object _gate = new object();
        private readonly List<Rule> _learnt = new List<Rule>();

        /// <summary>Raised (outside any lock) for each rule that <see cref="Learn"/> adds or makes stricter.</summary>
        public event Action<LearntDependency>? Learnt;

        /// <summary>
        /// Reads Graph's 400 "License assignment failed because service plan {id} depends on the service plan(s) {ids}"
        /// (no Microsoft page quotes it; public responses do, e.g. MicrosoftDocs/microsoft-365-docs pull request 3864).
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

        /// <summary>
        /// Adds a rule Graph stated in a 400; false when it was learnt already (so a retry would change nothing).
        /// <paramref name="enabledWhenRefused"/>: the plans the refused write left enabled, when known. If one of the
        /// plans Graph names was among them, one is not enough: the rule is learnt as all-of.
        /// </summary>
        public bool Learn(Guid plan, IReadOnlyList<Guid> requires, ICollection<Guid>? enabledWhenRefused = null)
        {
            var kind = enabledWhenRefused != null && requires.Any(enabledWhenRefused.Contains) ? DependencyKind.AllOf : DependencyKind.AnyOf;
            if (!Add(new Rule(plan, requires.Distinct().ToArray(), kind)))
            {
                return false;
            }

            Learnt?.Invoke(new LearntDependency(plan, requires.Distinct().ToList(), kind));
            return true;
        }

        /// <summary>A rule an earlier run learnt (read from the journal): known in advance from now on.</summary>
        public void Restore(LearntDependency rule)
        {
            if (rule != null && rule.Requires.Count > 0)
            {
                Add(new Rule(rule.Plan, rule.Requires.Distinct().ToArray(), rule.Kind));
            }
        }

        private bool Add(Rule rule)
        {
            var plan = rule.Plan;
            var kind = rule.Kind;
            lock (_gate)
            {
                var same = _learnt.FindIndex(r => r.Plan == plan && new HashSet<Guid>(r.Requires).SetEquals(rule.Requires));
                if (same >= 0 && (_learnt[same].Kind == kind || _learnt[same].Kind == DependencyKind.AllOf))
                {
                    return false;
                }

                if (same >= 0)
                {
                    _learnt[same] = rule;
                }
                else
                {
                    _learnt.Add(rule);
                }

                return true;
            }
        }

        /// <summary>
        /// Disables, in <paramref name="disabledBySku"/> (target SKU id to its disabled plan ids, changed in place), every
        /// enabled target plan whose rule the target's enabled plans no longer meet; repeats until nothing changes.
        /// </summary>
        public IReadOnlyList<AdjustedPlan> Close(IReadOnlyList<SkuInfo> targetSkus, IDictionary<Guid, HashSet<Guid>> disabledBySku)
        {
            var rules = RulesFor(targetSkus);
            var adjusted = new List<AdjustedPlan>();
            bool changed;
            do
            {
                changed = false;
                foreach (var rule in rules)
                {
                    foreach (var sku in targetSkus.Where(s => s.ServicePlans.Any(p => p.ServicePlanId == rule.Plan)))
                    {
                        var disabled = DisabledOf(disabledBySku, sku.SkuId);
                        if (disabled.Contains(rule.Plan))
                        {
                            continue;
                        }

                        if (!IsBroken(rule.Kind, rule.Requires, r => IsPresent(targetSkus, r), r => IsEnabledSomewhere(targetSkus, disabledBySku, r)))
                        {
                            continue;
                        }

                        var missing = rule.Requires.Where(r => IsPresent(targetSkus, r) && !IsEnabledSomewhere(targetSkus, disabledBySku, r)).ToList();
                        disabled.Add(rule.Plan);
                        changed = true;
                        var names = missing.Select(m => PlanName(targetSkus, m)).ToList();
                        adjusted.Add(new AdjustedPlan(sku.SkuPartNumber, PlanName(targetSkus, rule.Plan),
                            $"needs {string.Join(rule.Kind == DependencyKind.AllOf ? " and " : " or ", names)}, which {(names.Count == 1 ? "is" : "are")} disabled for this user"));
                    }
                }
            }
            while (changed);

            return adjusted;
        }

        /// <summary>
        /// The one reading of whether a dependency is broken: an all-of rule by any named plan not enabled, an any-of rule
        /// by none enabled. Named plans that do not exist where the rule is checked (<paramref name="exists"/>) do not count.
        /// Used for the target's plans (<see cref="Close"/>) and for a group member's (<see cref="GroupMemberConflicts"/>).
        /// </summary>
        internal static bool IsBroken<T>(DependencyKind kind, IEnumerable<T> requires, Func<T, bool> exists, Func<T, bool> enabled)
        {
            var present = requires.Where(exists).ToList();
            var missing = present.Count(r => !enabled(r));
            return kind == DependencyKind.AllOf ? missing > 0 : present.Count > 0 && missing == present.Count;
        }

        private List<Rule> RulesFor(IReadOnlyList<SkuInfo> targetSkus)
        {
            var byName = new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase);
            foreach (var plan in targetSkus.SelectMany(s => s.ServicePlans))
            {
                byName[plan.ServicePlanName] = plan.ServicePlanId;
            }

            var rules = new List<Rule>();
            foreach (var rule in Known)
            {
                if (byName.TryGetValue(rule.Plan, out var plan))
                {
                    rules.Add(new Rule(plan, rule.Requires.Where(byName.ContainsKey).Select(r => byName[r]).ToArray(), rule.Kind));
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

        private sealed class Rule
        {
            public Rule(Guid plan, Guid[] requires, DependencyKind kind)
            {
                Plan = plan;
                Requires = requires;
                Kind = kind;
            }

            public Guid Plan { get; }
            public Guid[] Requires { get; }
            public DependencyKind Kind { get; }
        }
    }
}
