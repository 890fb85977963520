using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Pacing;
using E4Upgrade.Engine.Resilience;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// Stop-E4Subscription: checks that E4 is no longer used, optionally removes leftover direct E4 assignments from
    /// users who already hold the target (removeLicenses only, so nobody is left unlicensed), and says how to cancel.
    /// There is no public API to cancel a subscription bought directly from Microsoft (doc section 8).
    /// </summary>
    public sealed class SubscriptionCloser
    {
        private readonly ILicensingGateway _gateway;
        private readonly IClock _clock;

        public SubscriptionCloser(ILicensingGateway gateway, IClock? clock = null)
        {
            _gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
            _clock = clock ?? new SystemClock();
        }

        /// <summary>
        /// Returns the state when E4 is free (ReadyToCancel). Throws E4UpgradeException E4StillInUse naming who still
        /// holds E4 (users, groups) otherwise, SkuNotFound when the tenant has no such SKU.
        /// </summary>
        public async Task<SubscriptionClosureState> CloseAsync(SubscriptionClosureOptions? options, CancellationToken cancellationToken)
        {
            options ??= new SubscriptionClosureOptions();
            var skus = await _gateway.GetSubscribedSkusAsync(cancellationToken).ConfigureAwait(false);
            var source = string.IsNullOrWhiteSpace(options.SourceSku)
                ? SkuSelection.SelectSource(skus, null)
                : new SkuResolver(skus).Resolve(options.SourceSku!);
            if (source == null)
            {
                throw new E4UpgradeException(ErrorIds.SkuNotFound, ErrorCategoryNames.ObjectNotFound,
                    "The tenant has no Office 365 E4 SKU (ENTERPRISEWITHSCAL or a variant); there is nothing to close.");
            }

            var targets = TargetSkuIds(skus, source, options.TargetSkus, options.Force);
            var usage = await ReadUsageAsync(source, targets, options, collectRemovable: options.Force, cancellationToken).ConfigureAwait(false);
            var removed = new CappedList(EligibilityFinding.MaxListed);
            var removeFailures = new CappedList(options.MaxNamed);
            var changedSince = new CappedList(options.MaxNamed);
            if (options.Force && usage.Removable.Count > 0)
            {
                await RemoveAsync(source, targets, usage.Removable, options, removed, removeFailures, changedSince, cancellationToken).ConfigureAwait(false);
                skus = await _gateway.GetSubscribedSkusAsync(cancellationToken).ConfigureAwait(false);
                source = skus.FirstOrDefault(s => s.SkuId == source.SkuId) ?? source;
                usage = await ReadUsageAsync(source, targets, options, collectRemovable: false, cancellationToken).ConfigureAwait(false);
            }

            if (usage.InUse(source))
            {
                throw new E4UpgradeException(ErrorIds.E4StillInUse, ErrorCategoryNames.InvalidOperation,
                    StillInUseMessage(source, usage, options.Force, targets.Count > 0, removed, removeFailures));
            }

            var subscriptions = await _gateway.GetSubscriptionsAsync(cancellationToken).ConfigureAwait(false);
            var summary = SubscriptionInventory.Summarize(source, SubscriptionRole.Source, subscriptions);
            var freed = FreedAddOns(skus, source, targets, options.RemovedAddOns);
            return new SubscriptionClosureState
            {
                SkuPartNumber = source.SkuPartNumber,
                SkuId = source.SkuId,
                Status = source.CapabilityStatus,
                Enabled = source.EnabledUnits,
                Consumed = source.ConsumedUnits,
                Suspended = source.SuspendedUnits,
                Warning = source.WarningUnits,
                LockedOut = source.LockedOutUnits,
                TotalLicenses = summary.TotalLicenses,
                SubscriptionIds = summary.SubscriptionIds,
                Subscriptions = summary.Subscriptions,
                RemovedFromUsers = removed.Count,
                RemovedUserPrincipalNames = removed.Items,
                ReadyToCancel = true,
                NextSteps = CancellationInstructions.For(source, summary) + (freed.Count == 0 ? "" :
                    " Add-on subscriptions that the target includes now have free seats: " + string.Join("; ", freed) +
                    ". Reduce their license count or cancel them the same way, so you stop paying for them."),
                FreedAddOns = freed,
            };
        }

        private sealed class Usage
        {
            public CappedList Groups { get; set; } = new CappedList(EligibilityFinding.MaxListed);
            public CappedList DirectWithoutTarget { get; set; } = new CappedList(EligibilityFinding.MaxListed);
            public CappedList DirectWithTarget { get; set; } = new CappedList(EligibilityFinding.MaxListed);
            public CappedList InheritedOnly { get; set; } = new CappedList(EligibilityFinding.MaxListed);
            public List<UserLicenses> Removable { get; } = new List<UserLicenses>();
            public int Holders => DirectWithoutTarget.Count + DirectWithTarget.Count + InheritedOnly.Count;
            public bool InUse(SkuInfo source) => Holders > 0 || Groups.Count > 0 || source.ConsumedUnits > 0;
        }

        private async Task<Usage> ReadUsageAsync(SkuInfo source, IReadOnlyList<Guid> targets, SubscriptionClosureOptions options, bool collectRemovable, CancellationToken cancellationToken)
        {
            var usage = new Usage
            {
                Groups = new CappedList(options.MaxNamed),
                DirectWithoutTarget = new CappedList(options.MaxNamed),
                DirectWithTarget = new CappedList(options.MaxNamed),
                InheritedOnly = new CappedList(options.MaxNamed),
            };
            await foreach (var group in _gateway.ListGroupsWithSkuAsync(source.SkuId, cancellationToken).ConfigureAwait(false))
            {
                usage.Groups.Add(group.Label);
            }

            await foreach (var user in _gateway.ListUsersWithSkuAsync(source.SkuId, cancellationToken).ConfigureAwait(false))
            {
                var holding = LicenseHolding.Of(user, source.SkuId);
                if (!holding.Held)
                {
                    continue;
                }

                var name = user.Label;
                if (!holding.Direct)
                {
                    usage.InheritedOnly.Add(name);
                }
                else if (HoldsWorkingTarget(user, targets))
                {
                    usage.DirectWithTarget.Add(name);
                    if (collectRemovable)
                    {
                        usage.Removable.Add(user);
                    }
                }
                else
                {
                    usage.DirectWithoutTarget.Add(name);
                }
            }

            return usage;
        }

        /// <summary>Holds a target license that is not in error, so removing E4 leaves the user licensed.</summary>
        private static bool HoldsWorkingTarget(UserLicenses user, IReadOnlyList<Guid> targets)
        {
            bool Holds(Guid t) => LicenseHolding.Of(user, t).Held;
            return targets.Count > 0 && (targets is Targets { RequireAll: true } ? targets.All(Holds) : targets.Any(Holds));
        }

        /// <summary>
        /// Removes E4 from the users, 20 to a $batch, through the one verified write: a removal whose answer was lost is
        /// read back after the replication lag (the user no longer holds E4 directly: removed) before it is sent again.
        /// </summary>
        private async Task RemoveAsync(SkuInfo source, IReadOnlyList<Guid> targets, IReadOnlyList<UserLicenses> users, SubscriptionClosureOptions options,
            CappedList removed, CappedList failures, CappedList changedSince, CancellationToken cancellationToken)
        {
            var change = new LicenseChange(Array.Empty<AssignedSku>(), new[] { source.SkuId });
            var writer = new VerifiedWriter(_clock, options.ReplicationLag, options.WriteAttempts, Backoff.Slow);
            for (var start = 0; start < users.Count; start += 20)
            {
                var batch = await StillRemovableAsync(source, targets, users.Skip(start).Take(20).ToList(), changedSince, cancellationToken).ConfigureAwait(false);
                var byKey = batch.ToDictionary(u => u.Id, StringComparer.OrdinalIgnoreCase);
                var results = await writer.SendAsync(
                    batch.Select(u => u.Id).ToList(),
                    (keys, ct) => _gateway.SendWritesAsync(
                        keys.Select(k => new WriteRequest { RequestId = k, UserId = k, Kind = WriteKind.AssignLicense, Change = change }).ToList(), ct),
                    (keys, ct) => RemovedAsync(source, keys, ct),
                    cancellationToken).ConfigureAwait(false);
                foreach (var user in batch)
                {
                    var result = results[user.Id];
                    if (result.Succeeded)
                    {
                        removed.Add(byKey[user.Id].Label);
                    }
                    else
                    {
                        failures.Add($"{user.Label} (HTTP {result.Outcome.Status} {result.Outcome.ErrorCode})");
                    }
                }
            }
        }

        /// <summary>The users, of those named, who no longer hold E4 directly: their removal landed.</summary>
        private async Task<IReadOnlyCollection<string>> RemovedAsync(SkuInfo source, IReadOnlyList<string> userIds, CancellationToken cancellationToken)
        {
            var lookups = await _gateway.GetUsersAsync(userIds, cancellationToken).ConfigureAwait(false);
            return lookups
                .Where(l => l.User != null && !LicenseHolding.Of(l.User, source.SkuId).Direct)
                .Select(l => l.Key)
                .ToList();
        }

        /// <summary>
        /// The targets a user must hold for E4 to count as replaceable. Only an Enabled target counts: a suspended,
        /// warning or locked-out subscription can take its licenses away, so removing E4 next to it could leave the
        /// user unlicensed. -RemoveFromUsersWithTarget with a named target that is not Enabled is refused before any write.
        /// </summary>
        private Targets TargetSkuIds(IReadOnlyList<SkuInfo> skus, SkuInfo source, IReadOnlyList<string> targetSkus, bool force)
        {
            if ((targetSkus ?? Array.Empty<string>()).Any(t => !string.IsNullOrWhiteSpace(t)))
            {
                var target = new SkuResolver(skus).ResolveTarget(targetSkus!);
                var notEnabled = target.Skus.FirstOrDefault(t => !IsEnabled(t));
                if (force && notEnabled != null)
                {
                    throw new E4UpgradeException(ErrorIds.TargetNotReady, ErrorCategoryNames.InvalidOperation,
                        $"{notEnabled.SkuPartNumber} is {notEnabled.CapabilityStatus}, not Enabled: -RemoveFromUsersWithTarget removes {SourceSkuName.Of(source)} only next to an active target, " +
                        "since a target in this state can lose its licenses. Nothing was changed; run again once the subscription is active.");
                }

                // A compound target counts only as a whole: a user holding the suite without its add-on has not moved.
                return notEnabled == null ? new Targets(target.SkuIds, requireAll: true) : new Targets(Array.Empty<Guid>(), requireAll: true);
            }

            return new Targets(skus.Where(s => E4SkuFamily.IsUpgradeTarget(s) && IsEnabled(s)).Select(s => s.SkuId).ToList(), requireAll: false);
        }

        /// <summary>
        /// Add-ons whose every plan a target includes (see <see cref="RedundantAddOns"/>) that have free seats now. A
        /// suite is never one (Office 365 E5 inside Microsoft 365 E5 was not freed by moving users, and says nothing when
        /// nobody ever held it): only SKUs that carry at most one of the core services, as add-ons do.
        /// </summary>
        private static IReadOnlyList<string> FreedAddOns(IReadOnlyList<SkuInfo> skus, SkuInfo source, Targets targets, IReadOnlyCollection<string>? removedByRun)
        {
            // Only what the run removed (its journal says which): an add-on never assigned has free seats, but was not freed.
            var removed = new HashSet<string>(removedByRun ?? Array.Empty<string>(), StringComparer.OrdinalIgnoreCase);
            var targetSkus = targets.Select(t => skus.FirstOrDefault(s => s.SkuId == t)).Where(s => s != null).Select(s => s!).ToList();
            if (targetSkus.Count == 0)
            {
                return Array.Empty<string>();
            }

            var compounds = targets.RequireAll ? new[] { new CompoundTarget(targetSkus) } : targetSkus.Select(t => new CompoundTarget(new[] { t })).ToArray();
            return compounds
                .SelectMany(c => new RedundantAddOns(skus, source, c).Candidates)
                .Where(s => !E4SkuFamily.IsE4(s) && !IsSuite(s) && !targets.Contains(s.SkuId) && s.AvailableUnits > 0 && removed.Contains(s.SkuPartNumber))
                .GroupBy(s => s.SkuId)
                .Select(g => g.First())
                .Select(s => $"{s.SkuPartNumber}: {s.AvailableUnits} of {s.EnabledUnits} seats free")
                .ToList();
        }

        /// <summary>A suite the tenant could move users to, or any SKU bundling two or more core services (mail, files, Teams, the Office apps).</summary>
        private static bool IsSuite(SkuInfo sku) =>
            E4SkuFamily.IsUpgradeTarget(sku) ||
            sku.ServicePlans.Select(p => CoreServices.ServiceOf(p.ServicePlanName)).Where(c => c != null).Distinct(StringComparer.Ordinal).Count() >= 2;

        /// <summary>The target SKU ids, and whether a user must hold all of them (a named, possibly compound target) or any (the default suites).</summary>
        private sealed class Targets : List<Guid>
        {
            public Targets(IEnumerable<Guid> ids, bool requireAll)
                : base(ids)
            {
                RequireAll = requireAll;
            }

            public bool RequireAll { get; }
        }

        private static bool IsEnabled(SkuInfo sku) => string.Equals(sku.CapabilityStatus, "Enabled", StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// Reads the users again right before their E4 is removed: the listing may be minutes old, and a user who lost
        /// the target (or E4, or whose target went into error) since must not lose E4 too.
        /// </summary>
        private async Task<List<UserLicenses>> StillRemovableAsync(SkuInfo source, IReadOnlyList<Guid> targets, List<UserLicenses> listed, CappedList skipped, CancellationToken cancellationToken)
        {
            var lookups = await _gateway.GetUsersAsync(listed.Select(u => u.Id).ToList(), cancellationToken).ConfigureAwait(false);
            var fresh = new List<UserLicenses>();
            foreach (var user in listed)
            {
                var now = lookups.FirstOrDefault(l => string.Equals(l.Key, user.Id, StringComparison.OrdinalIgnoreCase))?.User;
                if (now != null && LicenseHolding.Of(now, source.SkuId).Direct && HoldsWorkingTarget(now, targets))
                {
                    fresh.Add(now);
                }
                else
                {
                    skipped.Add((now ?? user).Label);
                }
            }

            return fresh;
        }

        private static string StillInUseMessage(SkuInfo source, Usage usage, bool force, bool hasTarget, CappedList removed, CappedList failures)
        {
            var parts = new List<string>();
            if (removed.Count > 0)
            {
                parts.Add($"Removed {source.SkuPartNumber} from {removed.Count} users who already hold the target.");
            }

            if (failures.Count > 0)
            {
                parts.Add($"Could not remove it from {failures.Count}: {failures.Describe(failures.Items.Count)}.");
            }

            parts.Add($"{source.SkuPartNumber} is still in use ({source.ConsumedUnits} seats consumed).");
            if (usage.Groups.Count > 0)
            {
                parts.Add($"{usage.Groups.Count} groups still assign it: {usage.Groups.Describe(usage.Groups.Items.Count)}. Move them with Start-E4Upgrade (the group's members would be left unlicensed by removing it).");
            }

            if (usage.DirectWithoutTarget.Count > 0)
            {
                parts.Add($"{usage.DirectWithoutTarget.Count} users hold it directly without {(hasTarget ? "the target" : "any upgrade target")}: " +
                    $"{usage.DirectWithoutTarget.Describe(usage.DirectWithoutTarget.Items.Count)}. Move them first (Start-E4Upgrade or Move-UserLicense); removing {SourceSkuName.Of(source)} would leave them unlicensed.");
            }

            if (usage.DirectWithTarget.Count > 0)
            {
                parts.Add($"{usage.DirectWithTarget.Count} users hold it directly next to the target: {usage.DirectWithTarget.Describe(usage.DirectWithTarget.Items.Count)}." +
                    (force ? "" : $" -RemoveFromUsersWithTarget removes {SourceSkuName.Of(source)} from them (they keep the target)."));
            }

            if (usage.InheritedOnly.Count > 0)
            {
                parts.Add($"{usage.InheritedOnly.Count} users hold it only through groups: {usage.InheritedOnly.Describe(usage.InheritedOnly.Items.Count)}.");
            }

            if (usage.Holders == 0 && usage.Groups.Count == 0)
            {
                parts.Add("No user or group shows it any more; the seat count can lag behind for a few minutes. Try again later.");
            }

            return string.Join(" ", parts);
        }
    }
}
