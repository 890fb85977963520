using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace E4Upgrade.GraphSimulator.Licensing;

internal sealed record DependencyRule(string Plan, IReadOnlyList<string> RequiresAnyOf, string Source);

internal sealed record ExclusionRule(IReadOnlyList<string> Plans, string Source);

/// <summary>A rule a user's enabled plans break. <see cref="AssignmentError"/> is the licenseAssignmentState error value.</summary>
internal sealed record RuleViolation(string AssignmentError, IReadOnlyList<string> Plans, string Message)
{
    public const string Dependency = "DependencyViolation";
    public const string MutuallyExclusive = "MutuallyExclusiveViolation";

    /// <summary>Identifies the violation independently of the list instance (for "was it already there?").</summary>
    public string Key => AssignmentError + ":" + string.Join(",", Plans);
}

/// <summary>
/// Service-plan dependencies and mutual exclusions from the embedded Data/licensing-rules.json; every rule there
/// names its source. Checked against a user's combined enabled plans (name to id).
/// </summary>
internal sealed class LicensingRules
{
    private static readonly Lazy<LicensingRules> Embedded = new(() => Parse(JsonNode.Parse(SkuCatalog.Resource("licensing-rules.json"))!.AsObject(), SkuCatalog.Shared));
    private readonly SkuCatalog catalog;

    private LicensingRules(IReadOnlyList<DependencyRule> dependencies, IReadOnlyList<ExclusionRule> exclusions, IReadOnlySet<string> mailboxPlans, SkuCatalog catalog)
    {
        Dependencies = dependencies;
        Exclusions = exclusions;
        MailboxPlans = mailboxPlans;
        this.catalog = catalog;
    }

    public static LicensingRules Shared => Embedded.Value;

    public IReadOnlyList<DependencyRule> Dependencies { get; }
    public IReadOnlyList<ExclusionRule> Exclusions { get; }

    /// <summary>Plans that give the user an Exchange Online mailbox (proxy addresses must then be unique).</summary>
    public IReadOnlySet<string> MailboxPlans { get; }

    public static string DependencyMessage(Guid planId, IEnumerable<Guid> requiredIds) =>
        $"License assignment failed because service plan {planId} depends on the service plan(s) {string.Join(",", requiredIds)}";

    public static string ExclusionMessage(IEnumerable<Guid> planIds) =>
        $"License assignment failed because service plans {string.Join(", ", planIds)} are mutually exclusive";

    public IReadOnlyList<RuleViolation> Check(IReadOnlyDictionary<string, Guid> enabledPlans)
    {
        var violations = new List<RuleViolation>();
        foreach (var rule in Dependencies)
        {
            if (enabledPlans.TryGetValue(rule.Plan, out var planId) && !rule.RequiresAnyOf.Any(enabledPlans.ContainsKey))
            {
                violations.Add(new RuleViolation(RuleViolation.Dependency, new[] { rule.Plan },
                    DependencyMessage(planId, rule.RequiresAnyOf.Select(PlanId))));
            }
        }

        foreach (var rule in Exclusions)
        {
            var held = rule.Plans.Where(enabledPlans.ContainsKey).ToList();
            if (held.Count > 1)
            {
                violations.Add(new RuleViolation(RuleViolation.MutuallyExclusive, held,
                    ExclusionMessage(held.Select(p => enabledPlans[p]))));
            }
        }

        return violations;
    }

    /// <summary>
    /// These rules plus the dependencies of another file of the same form (--extra-licensing-rules): tests use it for
    /// rules no public source names, which a client therefore cannot know before Graph states them in a 400.
    /// </summary>
    public LicensingRules WithDependenciesFrom(JsonObject extra)
    {
        var added = Parse(new JsonObject
        {
            ["dependencies"] = extra["dependencies"]?.DeepClone() ?? throw new InvalidOperationException("The extra licensing rules have no \"dependencies\" array."),
            ["mutuallyExclusive"] = new JsonArray(),
            ["mailboxPlans"] = new JsonObject { ["plans"] = new JsonArray() },
        }, catalog);
        return new LicensingRules(Dependencies.Concat(added.Dependencies).ToList(), Exclusions, MailboxPlans, catalog);
    }

    private Guid PlanId(string name) => catalog.PlanId(name) ?? throw new InvalidOperationException($"Plan {name} is not in the SKU catalog.");

    internal static LicensingRules Parse(JsonObject root, SkuCatalog catalog)
    {
        static IReadOnlyList<string> Names(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        var dependencies = root["dependencies"]!.AsArray().OfType<JsonObject>()
            .Select(r => new DependencyRule(r["plan"]!.GetValue<string>(), Names(r["requiresAnyOf"]), r["source"]!.GetValue<string>()))
            .ToList();
        var exclusions = root["mutuallyExclusive"]!.AsArray().OfType<JsonObject>()
            .Select(r => new ExclusionRule(Names(r["plans"]), r["source"]!.GetValue<string>()))
            .ToList();
        var mailboxPlans = Names(root["mailboxPlans"]!["plans"]).ToHashSet(StringComparer.Ordinal);
        var unknown = dependencies.SelectMany(d => d.RequiresAnyOf.Append(d.Plan)).Concat(exclusions.SelectMany(e => e.Plans)).Concat(mailboxPlans)
            .FirstOrDefault(name => catalog.PlanId(name) is null);
        if (unknown is not null)
        {
            throw new InvalidOperationException($"licensing-rules.json names plan {unknown}, which is not in the SKU catalog.");
        }

        return new LicensingRules(dependencies, exclusions, mailboxPlans, catalog);
    }
}
