using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// Whether a plan dependency read back from a journal may be applied. The journal is a file anyone with the
    /// account's rights can edit, so a rule is taken only when it could have come from Graph's refusal of this target
    /// (the dependent plan is a plan of the target, and every plan it requires is a plan of the target or the source),
    /// and a rule that would switch off a core service (Exchange, SharePoint/OneDrive, Teams, the Office apps; see
    /// <see cref="CoreServices"/>) is applied only when the admin accepts the finding it becomes.
    /// </summary>
    internal sealed class LearntRuleReview
    {
        private LearntRuleReview(IReadOnlyList<LearntDependency> consistent, IReadOnlyList<LearntDependency> core, IReadOnlyList<string> ignored, IReadOnlyList<string> coreDescriptions)
        {
            Consistent = consistent;
            CoreService = core;
            Ignored = ignored;
            _coreDescriptions = coreDescriptions;
        }

        private readonly IReadOnlyList<string> _coreDescriptions;

        /// <summary>Rules that fit the target and switch off no core service: applied.</summary>
        public IReadOnlyList<LearntDependency> Consistent { get; }
        /// <summary>Rules that fit the target but would switch off a core service: applied only when accepted.</summary>
        public IReadOnlyList<LearntDependency> CoreService { get; }
        /// <summary>Rules that do not fit the target, described: never applied.</summary>
        public IReadOnlyList<string> Ignored { get; }

        public static LearntRuleReview Of(IEnumerable<LearntDependency> rules, SkuInfo source, CompoundTarget target)
        {
            var targetPlans = new Dictionary<Guid, string>();
            foreach (var plan in target.Plans)
            {
                targetPlans[plan.ServicePlanId] = plan.ServicePlanName;
            }

            var known = new Dictionary<Guid, string>(targetPlans);
            foreach (var plan in source.ServicePlans)
            {
                known[plan.ServicePlanId] = plan.ServicePlanName;
            }

            var consistent = new List<LearntDependency>();
            var core = new List<LearntDependency>();
            var ignored = new List<string>();
            var coreDescriptions = new List<string>();
            foreach (var rule in rules)
            {
                var unknown = rule.Requires.Where(r => !known.ContainsKey(r)).ToList();
                if (!targetPlans.TryGetValue(rule.Plan, out var name) || rule.Requires.Count == 0 || unknown.Count > 0 || rule.Requires.Contains(rule.Plan))
                {
                    ignored.Add($"{rule.Plan} requires {string.Join(", ", rule.Requires)}: " +
                        (!targetPlans.ContainsKey(rule.Plan) ? $"{rule.Plan} is not a plan of {target.PartNumbers}"
                            : unknown.Count > 0 ? $"{string.Join(", ", unknown)} is not a plan of {target.PartNumbers} or {source.SkuPartNumber}"
                            : "a plan cannot require itself"));
                    continue;
                }

                if (CoreServices.IsCore(name))
                {
                    core.Add(rule);
                    coreDescriptions.Add($"{name} ({CoreServices.ServiceOf(name)}) needs {string.Join(rule.Kind == DependencyKind.AllOf ? " and " : " or ", rule.Requires.Select(r => known[r]))}");
                }
                else
                {
                    consistent.Add(rule);
                }
            }

            return new LearntRuleReview(consistent, core, ignored, coreDescriptions);
        }

        /// <summary>The rules to apply: the consistent ones, and the core-service ones only when the finding was accepted.</summary>
        public IReadOnlyList<LearntDependency> ToApply(bool coreAccepted) => coreAccepted ? Consistent.Concat(CoreService).ToList() : Consistent;

        /// <summary>The Blocker a core-service rule becomes (null when there is none).</summary>
        public EligibilityFinding? Finding(string journalPath) =>
            CoreService.Count == 0
                ? null
                : new EligibilityFinding
                {
                    Code = FindingCodes.LearntRuleDisablesCoreService,
                    Severity = FindingSeverity.Blocker,
                    Message = $"The journal '{journalPath}' holds plan dependencies that would switch off a core service for every user whose required plans are disabled: " +
                        $"{string.Join("; ", _coreDescriptions)}. Graph's own refusals are learnt again when it makes them, so a journal rule is not needed to move anyone. " +
                        $"If an earlier run learnt it from Graph and you want it kept, accept it (-AcceptFinding {FindingCodes.LearntRuleDisablesCoreService}); " +
                        "if nobody wrote it on purpose, the journal was changed outside E4Upgrade: move it aside.",
                    Plans = _coreDescriptions.Select(d => d.Substring(0, d.IndexOf(' '))).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
                };
    }
}
