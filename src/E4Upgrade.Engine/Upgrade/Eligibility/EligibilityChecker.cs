using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Upgrade
{
    public sealed class EligibilityRequest
    {
        /// <summary>Target SKU: GUID or part number.</summary>
        public string TargetSku { get; set; } = "";
        /// <summary>Source SKU; defaults to the tenant's E4 SKU (ENTERPRISEWITHSCAL, else the E4 variant with most seats used).</summary>
        public string? SourceSku { get; set; }
        /// <summary>When the run will set this usage location on users that lack one, missing locations are a Warning, not a Blocker.</summary>
        public string? UsageLocation { get; set; }
    }

    /// <summary>
    /// Test-E4UpgradeEligibility: the admin center's refusal reasons and the tool's own checks, from reads only:
    /// subscribedSkus, directory/subscriptions, one streamed listing of the E4 holders and one of the E4 groups.
    /// </summary>
    public sealed class EligibilityChecker
    {
        private readonly ILicensingGateway _gateway;

        public EligibilityChecker(ILicensingGateway gateway)
        {
            _gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
        }

        public Task<EligibilityReport> CheckAsync(string targetSku, CancellationToken cancellationToken) =>
            CheckAsync(new EligibilityRequest { TargetSku = targetSku }, cancellationToken);

        public async Task<EligibilityReport> CheckAsync(EligibilityRequest request, CancellationToken cancellationToken)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            UsageLocationCode.Normalize(request.UsageLocation); // an unknown country code stops here, before any read
            var skus = await _gateway.GetSubscribedSkusAsync(cancellationToken).ConfigureAwait(false);
            var subscriptions = await _gateway.GetSubscriptionsAsync(cancellationToken).ConfigureAwait(false);
            var source = SkuSelection.SelectSource(skus, request.SourceSku);
            var target = SkuSelection.Find(skus, request.TargetSku);
            var findings = new List<EligibilityFinding>();
            var report = new EligibilityReport
            {
                SourceSku = source?.SkuPartNumber ?? request.SourceSku ?? E4SkuFamily.E4PartNumber,
                SourceSkuId = source?.SkuId,
                TargetSku = target?.SkuPartNumber ?? request.TargetSku,
                TargetSkuId = target?.SkuId,
                TargetFreeSeats = target?.AvailableUnits ?? 0,
            };

            if (source == null)
            {
                findings.Add(Finding(FindingCodes.NoE4Subscription, FindingSeverity.Blocker,
                    string.IsNullOrWhiteSpace(request.SourceSku)
                        ? "The tenant has no Office 365 E4 SKU (ENTERPRISEWITHSCAL or a variant); there is nothing to upgrade."
                        : $"The tenant has no SKU '{request.SourceSku}' to upgrade from."));
            }
            else
            {
                CheckSourceStatus(source, findings);
                CheckE4Subscriptions(source, skus, subscriptions, findings);
            }

            var targetUsable = target != null;
            if (target == null)
            {
                findings.Add(Finding(FindingCodes.TargetNotFound, FindingSeverity.Blocker,
                    $"The tenant has no subscription for the target '{request.TargetSku}'. Buy it in the same tenant first; " +
                    "a new subscription can take a while to appear (see -WaitForTarget)."));
            }
            else if (source != null && (target.SkuId == source.SkuId || E4SkuFamily.IsE4(target)))
            {
                targetUsable = false;
                findings.Add(Finding(FindingCodes.TargetSameAsSource, FindingSeverity.Blocker,
                    target.SkuId == source.SkuId
                        ? $"The target {SkuSelection.Describe(target)} is the source SKU itself."
                        : $"The target {SkuSelection.Describe(target)} is itself an Office 365 E4 variant, not an upgrade."));
            }
            else
            {
                CheckTargetStatus(target, subscriptions, findings);
            }

            report.TargetAvailable = target != null && targetUsable && SkuReadiness.IsEnabled(target)
                && SkuReadiness.PlansNotSetUp(target).Count == 0;

            if (source != null)
            {
                var mapper = target != null && targetUsable ? new DisabledPlanMapper(source, target) : null;
                var scan = new E4HolderScan(source.SkuId, target?.SkuId, mapper == null ? null : (Func<IReadOnlyList<Guid>, IReadOnlyList<string>>)(p => mapper.Map(p).DroppedPlanNames));
                await foreach (var user in _gateway.ListUsersWithSkuAsync(source.SkuId, cancellationToken).ConfigureAwait(false))
                {
                    scan.Add(user);
                }

                var groups = new CappedList(EligibilityFinding.MaxListed);
                var groupsLosingPlans = new CappedList(EligibilityFinding.MaxListed);
                await foreach (var group in _gateway.ListGroupsWithSkuAsync(source.SkuId, cancellationToken).ConfigureAwait(false))
                {
                    var name = GroupName(group);
                    groups.Add(name);
                    var e4 = group.AssignedLicenses.FirstOrDefault(a => a.SkuId == source.SkuId);
                    var dropped = e4 == null ? Array.Empty<string>() : scan.Dropped(e4.DisabledPlans);
                    if (dropped.Count > 0)
                    {
                        groupsLosingPlans.Add(name);
                        scan.DroppedDisabledPlanNames.UnionWith(dropped);
                    }
                }

                report.DirectE4Users = scan.Direct;
                report.GroupE4Users = scan.Inherited;
                report.TotalE4Users = scan.Total;
                report.E4Groups = groups.Count;
                report.UsersNeedingTargetSeat = scan.NeedingTargetSeat;

                if (target != null && targetUsable)
                {
                    CheckSeats(scan, target, findings);
                }

                CheckUsageLocations(scan, request.UsageLocation, findings);
                CheckGroups(scan, groups, findings);
                CheckDisabledPlans(scan, groupsLosingPlans, target, findings);
                if (mapper != null)
                {
                    CheckLostFunctionality(mapper, source, target!, findings);
                }
            }

            report.Findings = findings;
            report.BlockerCount = findings.Count(f => f.Severity == FindingSeverity.Blocker);
            report.WarningCount = findings.Count - report.BlockerCount;
            report.IsEligible = report.BlockerCount == 0;
            return report;
        }

        private static void CheckSourceStatus(SkuInfo source, List<EligibilityFinding> findings)
        {
            if (SkuReadiness.IsEnabled(source))
            {
                return;
            }

            var severity = SkuReadiness.IsUnusable(source) ? FindingSeverity.Blocker : FindingSeverity.Warning;
            findings.Add(Finding(FindingCodes.E4NotActive, severity,
                $"The E4 SKU {SkuSelection.Describe(source)} is {source.CapabilityStatus}" +
                (severity == FindingSeverity.Warning
                    ? " (expired, in its grace period): move users before it is suspended."
                    : ": its licenses cannot be managed until the subscription is reactivated in the admin center.")));
        }

        private static void CheckE4Subscriptions(SkuInfo source, IReadOnlyList<SkuInfo> skus, IReadOnlyList<SubscriptionInfo> subscriptions, List<EligibilityFinding> findings)
        {
            var e4Skus = SkuSelection.E4SkusIn(skus);
            var linked = e4Skus
                .SelectMany(s => SkuSelection.DistinctSubscriptionIds(s, SkuSelection.LinkedSubscriptions(s, subscriptions)))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
            var otherVariantsInUse = e4Skus.Where(s => s.SkuId != source.SkuId && s.ConsumedUnits > 0).ToList();
            if (linked.Count <= 1 && otherVariantsInUse.Count == 0)
            {
                return;
            }

            var message = $"{linked.Count} subscriptions are linked to Office 365 E4 ({string.Join(", ", linked)}). " +
                "The admin center refuses to upgrade with two subscriptions of the same product; a scripted move is fine, " +
                "but every one of them must be cancelled afterwards.";
            if (otherVariantsInUse.Count > 0)
            {
                message += " This run moves " + source.SkuPartNumber + " only; users of " +
                    string.Join(", ", otherVariantsInUse.Select(s => s.SkuPartNumber + " (" + s.ConsumedUnits + " seats used)")) +
                    " need their own run with -SourceSku.";
            }

            findings.Add(Finding(FindingCodes.MultipleE4Subscriptions, FindingSeverity.Warning, message));
        }

        private static void CheckTargetStatus(SkuInfo target, IReadOnlyList<SubscriptionInfo> subscriptions, List<EligibilityFinding> findings)
        {
            var problems = new List<string>();
            if (!SkuReadiness.IsEnabled(target))
            {
                problems.Add("its status is " + (string.IsNullOrEmpty(target.CapabilityStatus) ? "unknown" : target.CapabilityStatus));
            }

            var pending = SkuReadiness.PlansNotSetUp(target);
            if (pending.Count > 0)
            {
                problems.Add("it is not fully set up: " + SkuReadiness.DescribePlans(pending));
            }

            if (problems.Count > 0)
            {
                findings.Add(Finding(FindingCodes.TargetNotActive, FindingSeverity.Blocker,
                    $"The target {SkuSelection.Describe(target)} is not ready: {string.Join("; ", problems)}. " +
                    "Check Health > Service health and wait for the subscription to become active (see -WaitForTarget)."));
            }

            var trials = SkuSelection.LinkedSubscriptions(target, subscriptions).Where(s => s.IsTrial).ToList();
            if (trials.Count > 0)
            {
                findings.Add(Finding(FindingCodes.TargetIsTrial, FindingSeverity.Warning,
                    $"The target {target.SkuPartNumber} comes from a trial subscription ({string.Join(", ", trials.Select(t => t.Id + (t.NextLifecycleDateTime.HasValue ? " ends " + t.NextLifecycleDateTime.Value.ToString("yyyy-MM-dd") : "")))}). " +
                    "Users lose its services when the trial ends unless it is converted to a paid subscription."));
            }
        }

        private static void CheckSeats(E4HolderScan scan, SkuInfo target, List<EligibilityFinding> findings)
        {
            if (scan.NeedingTargetSeat <= target.AvailableUnits)
            {
                return;
            }

            findings.Add(new EligibilityFinding
            {
                Code = FindingCodes.InsufficientTargetSeats,
                Severity = FindingSeverity.Blocker,
                Message = $"{scan.NeedingTargetSeat} users hold E4 (directly or through groups) and do not hold {target.SkuPartNumber} yet, " +
                    $"but only {target.AvailableUnits} {target.SkuPartNumber} seats are free ({target.EnabledUnits} bought, {target.ConsumedUnits} used): " +
                    $"add at least {scan.NeedingTargetSeat - target.AvailableUnits} seats.",
                AffectedCount = scan.NeedingTargetSeat,
            });
        }

        private static void CheckUsageLocations(E4HolderScan scan, string? usageLocation, List<EligibilityFinding> findings)
        {
            var missing = scan.DirectWithoutUsageLocation;
            if (missing.Count == 0)
            {
                return;
            }

            var fix = string.IsNullOrWhiteSpace(usageLocation)
                ? "Direct license assignment fails for them; set their usage location first or pass -UsageLocation."
                : $"The run will set usage location '{usageLocation}' on them before the move.";
            var inheritedNote = scan.InheritedWithoutUsageLocation.Count > 0
                ? $" ({scan.InheritedWithoutUsageLocation.Count} more hold E4 only through groups; those inherit the tenant's location.)"
                : " (Users licensed through groups inherit the tenant's location.)";
            findings.Add(new EligibilityFinding
            {
                Code = FindingCodes.UsageLocationMissing,
                Severity = string.IsNullOrWhiteSpace(usageLocation) ? FindingSeverity.Blocker : FindingSeverity.Warning,
                Message = $"{missing.Count} users with a direct E4 assignment have no usage location: {missing.Describe()}. {fix}{inheritedNote}",
                AffectedUsers = missing.Items,
                AffectedCount = missing.Count,
            });
        }

        private static void CheckGroups(E4HolderScan scan, CappedList groups, List<EligibilityFinding> findings)
        {
            if (groups.Count == 0 && scan.Inherited == 0)
            {
                return;
            }

            findings.Add(new EligibilityFinding
            {
                Code = FindingCodes.E4AssignedByGroup,
                Severity = FindingSeverity.Warning,
                Message = $"{groups.Count} groups assign E4 to {scan.Inherited} users: {groups.Describe()}. " +
                    "These users move at the group: one call per group adds the target and removes E4, then Entra processes the members.",
                AffectedGroups = groups.Items,
                AffectedCount = scan.Inherited,
            });
        }

        private static void CheckDisabledPlans(E4HolderScan scan, CappedList groups, SkuInfo? target, List<EligibilityFinding> findings)
        {
            var users = scan.UsersLosingDisabledPlans;
            if (users.Count == 0 && groups.Count == 0)
            {
                return;
            }

            var who = new List<string>();
            if (users.Count > 0) who.Add($"{users.Count} users ({users.Describe()})");
            if (groups.Count > 0) who.Add($"{groups.Count} groups ({groups.Describe()})");
            findings.Add(new EligibilityFinding
            {
                Code = FindingCodes.DisabledPlansWithoutCounterpart,
                Severity = FindingSeverity.Warning,
                Message = $"{string.Join(" and ", who)} have disabled E4 plans with no counterpart in {target?.SkuPartNumber}: " +
                    $"{string.Join(", ", scan.DroppedDisabledPlanNames)}. Those settings are dropped; every other disabled plan is carried over.",
                AffectedUsers = users.Items,
                AffectedGroups = groups.Items,
                AffectedCount = users.Count,
            });
        }

        private static void CheckLostFunctionality(DisabledPlanMapper mapper, SkuInfo source, SkuInfo target, List<EligibilityFinding> findings)
        {
            var lost = FunctionalEquivalents.StillLost(mapper.Map(source.ServicePlans.Select(p => p.ServicePlanId).ToList()).DroppedPlanNames, target);
            if (lost.Count > 0)
            {
                findings.Add(Finding(FindingCodes.FunctionalityLost, FindingSeverity.Warning,
                    $"{target.SkuPartNumber} has no counterpart for these E4 plans: {string.Join(", ", lost.Select(PlanDescriptions.Describe))}. " +
                    "Users lose that functionality (Microsoft: only Office 365 E5 and Microsoft 365 E5 keep all of E4)."));
            }

            var fewer = DataServices.Missing(source, target);
            if (fewer.Count > 0)
            {
                findings.Add(Finding(FindingCodes.FewerDataServices, FindingSeverity.Warning,
                    $"{target.SkuPartNumber} has fewer data services than E4: {string.Join("; ", fewer)}. " +
                    "Back up the data first (mail to .pst, OneDrive files, Viva Engage export); the admin center does not offer this change."));
            }
        }

        private static EligibilityFinding Finding(string code, FindingSeverity severity, string message) =>
            new EligibilityFinding { Code = code, Severity = severity, Message = message };

        internal static string GroupName(GroupLicenses group) =>
            string.IsNullOrEmpty(group.DisplayName) ? group.Id : group.DisplayName + " (" + group.Id + ")";
    }
}
