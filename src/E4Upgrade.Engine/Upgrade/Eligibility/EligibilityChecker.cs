using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Connection;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Upgrade
{
    public sealed class EligibilityRequest
    {
        /// <summary>The target: one SKU, or a suite and its add-ons (GUIDs or part numbers), the suite first.</summary>
        public IReadOnlyList<string> TargetSkus { get; set; } = Array.Empty<string>();

        /// <summary>A single-SKU target (sets <see cref="TargetSkus"/>).</summary>
        public string TargetSku
        {
            get => string.Join(" + ", TargetSkus);
            set => TargetSkus = new[] { value };
        }

        /// <summary>Source SKU; defaults to the tenant's E4 SKU (ENTERPRISEWITHSCAL, else the E4 variant with most seats used).</summary>
        public string? SourceSku { get; set; }
        /// <summary>When the run will set this usage location on users that lack one, missing locations are a Warning, not a Blocker.</summary>
        public string? UsageLocation { get; set; }
        /// <summary>The session token's permissions (roles or scp); null when the token cannot be read (not checked then).</summary>
        public TokenPermissions? TokenPermissions { get; set; }
    }

    /// <summary>
    /// Test-E4UpgradeEligibility: the admin center's refusal reasons and the tool's own checks, from reads only:
    /// subscribedSkus, directory/subscriptions, one streamed listing of the E4 holders and one of the E4 groups.
    /// </summary>
    public sealed class EligibilityChecker
    {
        private readonly ILicensingGateway _gateway;
        private readonly PlanDependencies _dependencies;

        public EligibilityChecker(ILicensingGateway gateway, PlanDependencies? dependencies = null)
        {
            _gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
            _dependencies = dependencies ?? new PlanDependencies();
        }

        public Task<EligibilityReport> CheckAsync(string targetSku, CancellationToken cancellationToken) =>
            CheckAsync(new EligibilityRequest { TargetSku = targetSku }, cancellationToken);

        public async Task<EligibilityReport> CheckAsync(EligibilityRequest request, CancellationToken cancellationToken)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            UsageLocationCode.Normalize(request.UsageLocation); // an unknown country code stops here, before any read
            if (request.TokenPermissions != null && PermissionCheck.LacksReads(request.TokenPermissions))
            {
                return PermissionCheck.ReportBeforeReads(request.TokenPermissions, request);
            }

            var skus = await _gateway.GetSubscribedSkusAsync(cancellationToken).ConfigureAwait(false);
            return await CheckAsync(UpgradeSkus.Select(skus, request.SourceSku, request.TargetSkus), null, Array.Empty<EligibilityFinding>(), request, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Checks an upgrade whose SKUs were read and picked already (the run's one plan): <paramref name="mapper"/> is the
        /// run's own when given; <paramref name="planFindings"/> are the plan's own findings (a journal's learnt rules).
        /// </summary>
        internal async Task<EligibilityReport> CheckAsync(UpgradeSkus selection, CompoundPlanMapper? mapper, IReadOnlyList<EligibilityFinding> planFindings,
            EligibilityRequest request, CancellationToken cancellationToken)
        {
            UsageLocationCode.Normalize(request.UsageLocation); // an unknown country code stops here, before any read
            var skus = selection.Skus;
            var subscriptions = await _gateway.GetSubscriptionsAsync(cancellationToken).ConfigureAwait(false);
            var source = selection.Source;
            var names = selection.TargetNames;
            var target = selection.Target;
            var findings = new List<EligibilityFinding>();
            var report = new EligibilityReport
            {
                SourceSku = source?.SkuPartNumber ?? request.SourceSku ?? E4SkuFamily.E4PartNumber,
                SourceSkuId = source?.SkuId,
                TargetSku = target?.PartNumbers ?? string.Join(" + ", names),
                TargetSkus = target?.Skus.Select(s => s.SkuPartNumber).ToList() ?? names,
                TargetSkuId = target?.Suite.SkuId,
                TargetFreeSeats = target?.Suite.AvailableUnits ?? 0,
            };

            if (source == null)
            {
                findings.Add(selection.SourceFinding!);
            }
            else
            {
                CheckSourceStatus(source, findings);
                CheckE4Subscriptions(source, skus, subscriptions, findings);
            }

            var targetUsable = target != null && selection.TargetFinding == null;
            if (selection.TargetFinding != null)
            {
                findings.Add(selection.TargetFinding);
            }
            else
            {
                CheckTargetStatus(target!, subscriptions, findings);
            }

            report.TargetAvailable = target != null && targetUsable && target.Skus.All(SkuReadiness.IsReady);

            if (source != null)
            {
                var usable = targetUsable ? target : null;
                mapper = usable == null ? null : mapper ?? new CompoundPlanMapper(source, usable, _dependencies);
                var lost = usable == null ? null : ServiceCoverage.Lost(source, usable.Plans);
                var addOns = usable == null ? null : new RedundantAddOns(skus, source, usable);
                var e4Groups = new List<GroupLicenses>();
                await foreach (var group in _gateway.ListGroupsWithSkuAsync(source.SkuId, cancellationToken).ConfigureAwait(false))
                {
                    e4Groups.Add(group);
                }

                var scan = new E4HolderScan(source.SkuId, usable, mapper, addOns, lost,
                    new HashSet<string>(e4Groups.Select(g => g.Id), StringComparer.OrdinalIgnoreCase));
                var conflicts = usable == null ? null : new GroupConflictScan(skus, source.SkuId, usable, scan.Map);
                await foreach (var user in _gateway.ListUsersWithSkuAsync(source.SkuId, cancellationToken).ConfigureAwait(false))
                {
                    scan.Add(user);
                    conflicts?.Add(user);
                }

                var groups = new CappedList(EligibilityFinding.MaxListed);
                var groupsLosingPlans = new CappedList(EligibilityFinding.MaxListed);
                var groupsAdjusted = new CappedList(EligibilityFinding.MaxListed);
                foreach (var group in e4Groups)
                {
                    var name = group.Label;
                    groups.Add(name);
                    var e4 = group.AssignedLicenses.FirstOrDefault(a => a.SkuId == source.SkuId);
                    var mapping = e4 == null ? null : scan.Map(e4.DisabledPlans);
                    if (mapping != null && mapping.DroppedPlanNames.Count > 0)
                    {
                        groupsLosingPlans.Add(name);
                        scan.DroppedDisabledPlanNames.UnionWith(mapping.DroppedPlanNames);
                    }

                    if (mapping != null && mapping.AdjustedPlans.Count > 0)
                    {
                        groupsAdjusted.Add(name);
                        scan.AdjustedPlanNames.UnionWith(mapping.AdjustedPlans.Select(a => a.Plan));
                    }
                }

                report.DirectE4Users = scan.Direct;
                report.GroupE4Users = scan.Inherited;
                report.TotalE4Users = scan.Total;
                report.E4Groups = groups.Count;
                report.UsersNeedingTargetSeat = scan.NeedingTargetSeat;
                var estimate = UpgradeDurationEstimate.For(scan.Direct, scan.DirectWithoutUsageLocation.Count, scan.Inherited);
                report.ExpectedDuration = estimate.DirectUsers;
                report.GroupProcessingEstimate = estimate.GroupProcessingUpTo;
                report.DurationEstimate = estimate.ToString();

                if (usable != null)
                {
                    report.TargetSeats = usable.Skus
                        .Select(s => new TargetSeats { Sku = s.SkuPartNumber, SkuId = s.SkuId, Needed = scan.NeedingSeatBySku[s.SkuId], Free = s.AvailableUnits })
                        .ToList();
                    CheckSeats(SourceSkuName.Of(source), report.TargetSeats, findings);
                }

                var from = SourceSkuName.Of(source);
                CheckUsageLocations(from, scan, request.UsageLocation, findings);
                CheckGroups(from, scan, groups, findings);
                CheckDisabledPlans(from, scan, groupsLosingPlans, usable, findings);
                if (usable != null)
                {
                    CheckLostServices(scan, lost!, source, usable, skus, findings);
                    CheckAdjustedPlans(from, scan, groupsAdjusted, usable, findings);
                    CheckGroupMemberConflicts(from, conflicts!, usable, findings);
                    CheckRedundantAddOns(scan, addOns!, findings);
                }
            }

            findings.AddRange(planFindings);
            if (request.TokenPermissions != null)
            {
                findings.AddRange(PermissionCheck.ForRun(request.TokenPermissions, report, request.UsageLocation != null));
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
                $"The {(E4SkuFamily.IsE4(source) ? "E4" : "source")} SKU {SkuSelection.Describe(source)} is {source.CapabilityStatus}" +
                (severity == FindingSeverity.Warning
                    ? " (expired, in its grace period): move users before it is suspended."
                    : ": its licenses cannot be managed until the subscription is reactivated in the admin center.")));
        }

        private static void CheckE4Subscriptions(SkuInfo source, IReadOnlyList<SkuInfo> skus, IReadOnlyList<SubscriptionInfo> subscriptions, List<EligibilityFinding> findings)
        {
            // The same product bought twice: for an E4 source any E4 variant counts, for another source that SKU.
            var e4Skus = E4SkuFamily.IsE4(source) ? SkuSelection.E4SkusIn(skus) : new[] { source };
            var linked = e4Skus
                .SelectMany(s => SkuSelection.DistinctSubscriptionIds(s, SkuSelection.LinkedSubscriptions(s, subscriptions)))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
            var otherVariantsInUse = e4Skus.Where(s => s.SkuId != source.SkuId && s.ConsumedUnits > 0).ToList();
            if (linked.Count <= 1 && otherVariantsInUse.Count == 0)
            {
                return;
            }

            var message = $"{linked.Count} subscriptions are linked to {(E4SkuFamily.IsE4(source) ? "Office 365 E4" : source.SkuPartNumber)} ({string.Join(", ", linked)}). " +
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

        private static void CheckTargetStatus(CompoundTarget target, IReadOnlyList<SubscriptionInfo> subscriptions, List<EligibilityFinding> findings)
        {
            var blocking = new List<string>();
            var notes = new List<string>();
            var needActivation = new List<string>();
            foreach (var sku in target.Skus)
            {
                var problems = SkuReadiness.Problems(sku);
                if (problems.Count > 0)
                {
                    blocking.Add($"{SkuSelection.Describe(sku)}: {string.Join("; ", problems)}");
                }

                if (SkuReadiness.IsInGracePeriod(sku))
                {
                    notes.Add($"{sku.SkuPartNumber} is in Warning status (expired, in its grace period): renew it before it is suspended");
                }

                var others = SkuReadiness.OtherPlansProvisioning(sku);
                if (others.Count > 0)
                {
                    notes.Add($"{sku.SkuPartNumber} is still provisioning {SkuReadiness.DescribePlans(others)}; users get these when it finishes");
                }

                needActivation.AddRange(SkuReadiness.PlansNeedingActivation(sku).Select(p => $"{p.ServicePlanName} ({sku.SkuPartNumber}, {p.ProvisioningStatus})"));
            }

            if (blocking.Count > 0)
            {
                findings.Add(Finding(FindingCodes.TargetNotActive, FindingSeverity.Blocker,
                    $"The target is not ready: {string.Join(". ", blocking.Concat(notes))}. " +
                    "Check Health > Service health and wait for the subscription to become active (see -WaitForTarget)."));
            }
            else if (notes.Count > 0)
            {
                findings.Add(Finding(FindingCodes.TargetNotActive, FindingSeverity.Warning, string.Join(". ", notes) + "."));
            }

            if (needActivation.Count > 0)
            {
                var finding = Finding(FindingCodes.PlansNeedActivation, FindingSeverity.Warning,
                    $"These target plans wait for an administrator, as in most real tenants: {string.Join(", ", needActivation)}. " +
                    "They do not hold the upgrade back. Activate them when you want them (for example INTUNE_O365: set up Basic Mobility and Security in the Microsoft 365 admin center); users get the rest of the target now.");
                finding.Plans = needActivation.Select(p => p.Substring(0, p.IndexOf(' '))).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                findings.Add(finding);
            }

            foreach (var sku in target.Skus)
            {
                var trials = SkuSelection.LinkedSubscriptions(sku, subscriptions).Where(s => s.IsTrial).ToList();
                if (trials.Count > 0)
                {
                    findings.Add(Finding(FindingCodes.TargetIsTrial, FindingSeverity.Warning,
                        $"The target {sku.SkuPartNumber} comes from a trial subscription ({string.Join(", ", trials.Select(t => t.Id + (t.NextLifecycleDateTime.HasValue ? " ends " + t.NextLifecycleDateTime.Value.ToString("yyyy-MM-dd") : "")))}). " +
                        "Users lose its services when the trial ends unless it is converted to a paid subscription."));
                }
            }
        }

        private static void CheckSeats(string from, IReadOnlyList<TargetSeats> seats, List<EligibilityFinding> findings)
        {
            var short_ = seats.Where(s => s.Needed > s.Free).ToList();
            if (short_.Count == 0)
            {
                return;
            }

            findings.Add(new EligibilityFinding
            {
                Code = FindingCodes.InsufficientTargetSeats,
                Severity = FindingSeverity.Blocker,
                Message = string.Join(" ", short_.Select(s =>
                    $"{s.Needed} users hold {from} (directly or through groups) and do not hold {s.Sku} yet, but only {s.Free} {s.Sku} seats are free: add at least {s.Needed - s.Free} {s.Sku} seats.")),
                AffectedCount = short_.Max(s => s.Needed),
                Skus = short_.Select(s => s.Sku).ToList(),
            });
        }

        private static void CheckUsageLocations(string from, E4HolderScan scan, string? usageLocation, List<EligibilityFinding> findings)
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
                ? $" ({scan.InheritedWithoutUsageLocation.Count} more hold {from} only through groups; those inherit the tenant's location.)"
                : " (Users licensed through groups inherit the tenant's location.)";
            findings.Add(new EligibilityFinding
            {
                Code = FindingCodes.UsageLocationMissing,
                Severity = string.IsNullOrWhiteSpace(usageLocation) ? FindingSeverity.Blocker : FindingSeverity.Warning,
                Message = $"{missing.Count} users with a direct {from} assignment have no usage location: {missing.Describe()}. {fix}{inheritedNote}",
                AffectedUsers = missing.Items,
                AffectedCount = missing.Count,
            });
        }

        private static void CheckGroups(string from, E4HolderScan scan, CappedList groups, List<EligibilityFinding> findings)
        {
            if (groups.Count == 0 && scan.Inherited == 0)
            {
                return;
            }

            findings.Add(new EligibilityFinding
            {
                Code = FindingCodes.E4AssignedByGroup,
                Severity = FindingSeverity.Warning,
                Message = $"{groups.Count} groups assign {from} to {scan.Inherited} users: {groups.Describe()}. " +
                    $"These users move at the group: one call per group adds the target and removes {from}, then Entra processes the members.",
                AffectedGroups = groups.Items,
                AffectedCount = scan.Inherited,
            });
        }

        private static string UsersAndGroups(CappedList users, CappedList groups)
        {
            var who = new List<string>();
            if (users.Count > 0) who.Add($"{users.Count} users ({users.Describe()})");
            if (groups.Count > 0) who.Add($"{groups.Count} groups ({groups.Describe()})");
            return string.Join(" and ", who);
        }

        private static void CheckDisabledPlans(string from, E4HolderScan scan, CappedList groups, CompoundTarget? target, List<EligibilityFinding> findings)
        {
            var users = scan.UsersLosingDisabledPlans;
            if (users.Count == 0 && groups.Count == 0)
            {
                return;
            }

            findings.Add(new EligibilityFinding
            {
                Code = FindingCodes.DisabledPlansWithoutCounterpart,
                Severity = FindingSeverity.Warning,
                Message = $"{UsersAndGroups(users, groups)} have disabled {from} plans with no counterpart in {target?.PartNumbers}: " +
                    $"{string.Join(", ", scan.DroppedDisabledPlanNames)}. Those settings are dropped; every other disabled plan is carried over.",
                AffectedUsers = users.Items,
                AffectedGroups = groups.Items,
                AffectedCount = users.Count,
            });
        }

        /// <summary>
        /// ServiceLoss (Blocker) for Exchange, SharePoint/OneDrive, Teams and the Office apps, FeatureLoss (Warning) for
        /// any other plan: only plans some E4 holder has enabled today count, and each names the SKU the tenant holds
        /// that would supply it.
        /// </summary>
        private static void CheckLostServices(E4HolderScan scan, IReadOnlyList<LostPlan> lost, SkuInfo source, CompoundTarget target, IReadOnlyList<SkuInfo> skus, List<EligibilityFinding> findings)
        {
            var used = lost.Where(p => scan.UsersLosing[p.PlanId] > 0).ToList();
            AddLossFinding(FindingCodes.ServiceLoss, FindingSeverity.Blocker, used.Where(p => p.IsCore).ToList(), scan, source, target, skus, findings,
                "Users would lose a service they work in. Add the SKU that supplies it to the target, or accept the finding (-AcceptFinding ServiceLoss) once their data is backed up (mail to .pst, OneDrive files).");
            AddLossFinding(FindingCodes.FeatureLoss, FindingSeverity.Warning, used.Where(p => !p.IsCore).ToList(), scan, source, target, skus, findings,
                "Users lose these features" + (E4SkuFamily.IsE4(source) ? " (Microsoft: only Office 365 E5 and the Microsoft 365 E5s keep all of E4)" : "") + "; add the SKU named to keep them.");
        }

        private static void AddLossFinding(string code, FindingSeverity severity, IReadOnlyList<LostPlan> plans, E4HolderScan scan, SkuInfo source, CompoundTarget target,
            IReadOnlyList<SkuInfo> skus, List<EligibilityFinding> findings, string advice)
        {
            if (plans.Count == 0)
            {
                return;
            }

            var suppliers = new List<string>();
            var parts = new List<string>();
            foreach (var plan in plans)
            {
                // An add-on supplies what the target lacks; a SKU repeating a core service the target has is another suite.
                var supplier = skus
                    .Where(s => s.SkuId != source.SkuId && !E4SkuFamily.IsE4(s) && !target.Contains(s.SkuId) && !SkuReadiness.IsUnusable(s))
                    .Where(s => ServiceCoverage.Supplies(s, plan) && !RepeatsCoreService(s, target))
                    .OrderBy(s => s.ServicePlans.Count)
                    .FirstOrDefault();
                var what = plan.IsCore ? $"{plan.CoreService}: {PlanDescriptions.Describe(plan.PlanName)}" : PlanDescriptions.Describe(plan.PlanName);
                var fix = supplier == null
                    ? "the tenant holds no SKU that supplies it"
                    : $"add {supplier.SkuPartNumber}, which the tenant holds";
                if (supplier != null && !suppliers.Contains(supplier.SkuPartNumber))
                {
                    suppliers.Add(supplier.SkuPartNumber);
                }

                parts.Add($"{what} for {scan.UsersLosing[plan.PlanId]} users ({fix})");
            }

            var example = suppliers.Count == 0
                ? ""
                : " For example: -TargetSku " + string.Join(",", target.Skus.Select(s => s.SkuPartNumber).Concat(suppliers).Select(Quote)) + ".";
            findings.Add(new EligibilityFinding
            {
                Code = code,
                Severity = severity,
                Message = $"{target.PartNumbers} has no counterpart for these {SourceSkuName.Of(source)} plans: {string.Join("; ", parts)}. {advice}{example}",
                AffectedCount = plans.Max(p => scan.UsersLosing[p.PlanId]),
                Plans = plans.Select(p => p.PlanName).ToList(),
                Skus = suppliers,
            });
        }

        private static void CheckAdjustedPlans(string from, E4HolderScan scan, CappedList groups, CompoundTarget target, List<EligibilityFinding> findings)
        {
            var users = scan.UsersWithAdjustedPlans;
            if (users.Count == 0 && groups.Count == 0)
            {
                return;
            }

            findings.Add(new EligibilityFinding
            {
                Code = FindingCodes.PlanDependencyAdjusted,
                Severity = FindingSeverity.Warning,
                Message = $"{UsersAndGroups(users, groups)} have disabled on {from} every base plan these {target.PartNumbers} plans can depend on, so they are disabled too " +
                    $"(Graph rejects them otherwise): {string.Join(", ", scan.AdjustedPlanNames)}. Each result lists them in AdjustedPlans.",
                AffectedUsers = users.Items,
                AffectedGroups = groups.Items,
                AffectedCount = users.Count,
                Plans = scan.AdjustedPlanNames.ToList(),
            });
        }

        private static void CheckGroupMemberConflicts(string from, GroupConflictScan conflicts, CompoundTarget target, List<EligibilityFinding> findings)
        {
            if (conflicts.Users.Count == 0)
            {
                return;
            }

            findings.Add(new EligibilityFinding
            {
                Code = FindingCodes.GroupMemberConflicts,
                Severity = FindingSeverity.Warning,
                Message = $"{conflicts.Users.Count} users who hold {from} through a group would be refused {target.PartNumbers} ({string.Join(", ", conflicts.Errors)}): " +
                    $"{conflicts.Users.Describe()}. For example {conflicts.Example}. A group swap removes {from} from every member at once, so they would be left with " +
                    $"neither license: Start-E4Upgrade does not swap their groups (each member is reported with the cause) unless you pass -AcceptFinding {FindingCodes.GroupMemberConflicts}.",
                AffectedUsers = conflicts.Users.Items,
                AffectedCount = conflicts.Users.Count,
                Plans = conflicts.Plans.ToList(),
            });
        }

        private static void CheckRedundantAddOns(E4HolderScan scan, RedundantAddOns addOns, List<EligibilityFinding> findings)
        {
            var held = addOns.Candidates.Where(s => scan.RedundantAddOnUsers.ContainsKey(s.SkuId) || scan.RedundantAddOnsKept.ContainsKey(s.SkuId)).ToList();
            if (held.Count == 0)
            {
                return;
            }

            var parts = held.Select(s =>
            {
                var users = scan.RedundantAddOnUsers.TryGetValue(s.SkuId, out var list) ? list.Count : 0;
                var kept = scan.RedundantAddOnsKept.TryGetValue(s.SkuId, out var n) ? n : 0;
                return $"{s.SkuPartNumber} ({string.Join(", ", s.ServicePlans.Select(p => p.ServicePlanName))}): {users} users, {users} seats freed" +
                    (kept > 0 ? $"; {kept} more keep it because one of its plans is disabled in the target for them" : "");
            });
            var affected = held.Where(s => scan.RedundantAddOnUsers.ContainsKey(s.SkuId)).SelectMany(s => scan.RedundantAddOnUsers[s.SkuId].Items)
                .Distinct(StringComparer.OrdinalIgnoreCase).Take(EligibilityFinding.MaxListed).ToList();
            findings.Add(new EligibilityFinding
            {
                Code = FindingCodes.RedundantAddOns,
                Severity = FindingSeverity.Warning,
                Message = $"Add-ons whose every plan the target includes: {string.Join("; ", parts)}. " +
                    "-RemoveRedundantAddOns removes them in the same call that moves each user (as the admin center's upgrade does); without it they stay assigned.",
                AffectedUsers = affected,
                AffectedCount = held.Sum(s => scan.RedundantAddOnUsers.TryGetValue(s.SkuId, out var list) ? list.Count : 0),
                Skus = held.Select(s => s.SkuPartNumber).ToList(),
            });
        }

        private static bool RepeatsCoreService(SkuInfo candidate, CompoundTarget target)
        {
            var targetServices = new HashSet<string>(target.Plans.Select(p => CoreServices.ServiceOf(p.ServicePlanName)).Where(c => c != null).Select(c => c!));
            return candidate.ServicePlans.Any(p => CoreServices.ServiceOf(p.ServicePlanName) is string service && targetServices.Contains(service));
        }

        private static string Quote(string partNumber) =>
            partNumber.All(c => char.IsLetterOrDigit(c) || c == '_') ? partNumber : "'" + partNumber.Replace("'", "''") + "'";

        private static EligibilityFinding Finding(string code, FindingSeverity severity, string message) =>
            new EligibilityFinding { Code = code, Severity = severity, Message = message };
    }
}
