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
    public sealed class SubscriptionClosureOptions
    {
        /// <summary>The E4 SKU to close; defaults to the tenant's E4 SKU.</summary>
        public string? SourceSku { get; set; }
        /// <summary>
        /// With Force, E4 is removed only from users holding every SKU of this target (a suite and its add-ons).
        /// Default: any of the suites E4 users move to (see <see cref="E4SkuFamily.UpgradeTargets"/>) that the tenant has.
        /// </summary>
        public IReadOnlyList<string> TargetSkus { get; set; } = Array.Empty<string>();
        /// <summary>Remove leftover direct E4 assignments from users who already hold the target.</summary>
        public bool Force { get; set; }
        /// <summary>How many users an error message names before "and N more".</summary>
        public int MaxNamed { get; set; } = 20;
        public int WriteAttempts { get; set; } = 6;
    }

    /// <summary>The state of the E4 subscription after Stop-E4Subscription, and what the admin must still do.</summary>
    public sealed class SubscriptionClosureState
    {
        public string SkuPartNumber { get; internal set; } = "";
        public Guid SkuId { get; internal set; }
        public string Status { get; internal set; } = "";
        public int Enabled { get; internal set; }
        public int Consumed { get; internal set; }
        public int Suspended { get; internal set; }
        public int Warning { get; internal set; }
        public int LockedOut { get; internal set; }
        /// <summary>Sum of totalLicenses over the linked subscriptions.</summary>
        public int TotalLicenses { get; internal set; }
        public string SubscriptionIds { get; internal set; } = "";
        // Internal: a nested list would break Export-Csv; SubscriptionIds and SubscriptionStatus carry it flat.
        internal IReadOnlyList<LinkedSubscription> Subscriptions { get; set; } = Array.Empty<LinkedSubscription>();
        /// <summary>Users E4 was removed from by this call (-Force); each of them holds the target.</summary>
        public int RemovedFromUsers { get; internal set; }
        public IReadOnlyList<string> RemovedUserPrincipalNames { get; internal set; } = Array.Empty<string>();
        /// <summary>No seat used, no group assigning it: E4 can be cancelled.</summary>
        public bool ReadyToCancel { get; internal set; }
        /// <summary>Always false: Graph has no call that cancels a subscription bought from Microsoft.</summary>
        public bool CanCancelThroughApi => false;
        /// <summary>What the admin does next, in plain words.</summary>
        public string NextSteps { get; internal set; } = "";
        /// <summary>Add-on subscriptions the target includes that now have free seats ("SKU: N of M seats free"): reduce or cancel them.</summary>
        public IReadOnlyList<string> FreedAddOns { get; internal set; } = Array.Empty<string>();
    }

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

            var targets = TargetSkuIds(skus, options.TargetSkus, out var requireAll);
            var usage = await ReadUsageAsync(source, targets, requireAll, options, collectRemovable: options.Force, cancellationToken).ConfigureAwait(false);
            var removed = new CappedList(EligibilityFinding.MaxListed);
            var removeFailures = new CappedList(options.MaxNamed);
            if (options.Force && usage.Removable.Count > 0)
            {
                await RemoveAsync(source, usage.Removable, options, removed, removeFailures, cancellationToken).ConfigureAwait(false);
                skus = await _gateway.GetSubscribedSkusAsync(cancellationToken).ConfigureAwait(false);
                source = skus.FirstOrDefault(s => s.SkuId == source.SkuId) ?? source;
                usage = await ReadUsageAsync(source, targets, requireAll, options, collectRemovable: false, cancellationToken).ConfigureAwait(false);
            }

            if (usage.InUse(source))
            {
                throw new E4UpgradeException(ErrorIds.E4StillInUse, ErrorCategoryNames.InvalidOperation,
                    StillInUseMessage(source, usage, options.Force, targets.Count > 0, removed, removeFailures));
            }

            var subscriptions = await _gateway.GetSubscriptionsAsync(cancellationToken).ConfigureAwait(false);
            var summary = SubscriptionInventory.Summarize(source, SubscriptionRole.Source, subscriptions);
            var freed = FreedAddOns(skus, source, targets, requireAll);
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

        private async Task<Usage> ReadUsageAsync(SkuInfo source, IReadOnlyList<Guid> targets, bool requireAll, SubscriptionClosureOptions options, bool collectRemovable, CancellationToken cancellationToken)
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
                usage.Groups.Add(EligibilityChecker.GroupName(group));
            }

            await foreach (var user in _gateway.ListUsersWithSkuAsync(source.SkuId, cancellationToken).ConfigureAwait(false))
            {
                var holding = LicenseHolding.Of(user, source.SkuId);
                if (!holding.Held)
                {
                    continue;
                }

                var name = E4HolderScan.DisplayName(user);
                if (!holding.Direct)
                {
                    usage.InheritedOnly.Add(name);
                }
                else if (HoldsWorkingTarget(user, targets, requireAll))
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
        private static bool HoldsWorkingTarget(UserLicenses user, IReadOnlyList<Guid> targets, bool requireAll)
        {
            bool Holds(Guid t) => LicenseHolding.Of(user, t).Held;
            return targets.Count > 0 && (requireAll ? targets.All(Holds) : targets.Any(Holds));
        }

        /// <summary>Add-ons whose every plan a target includes (see <see cref="RedundantAddOns"/>) that have free seats now.</summary>
        private static IReadOnlyList<string> FreedAddOns(IReadOnlyList<SkuInfo> skus, SkuInfo source, IReadOnlyList<Guid> targets, bool requireAll)
        {
            var targetSkus = targets.Select(t => skus.FirstOrDefault(s => s.SkuId == t)).Where(s => s != null).Select(s => s!).ToList();
            if (targetSkus.Count == 0)
            {
                return Array.Empty<string>();
            }

            var compounds = requireAll ? new[] { new CompoundTarget(targetSkus) } : targetSkus.Select(t => new CompoundTarget(new[] { t })).ToArray();
            return compounds
                .SelectMany(c => new RedundantAddOns(skus, source, c).Candidates)
                .Where(s => !E4SkuFamily.IsE4(s) && !targets.Contains(s.SkuId) && s.AvailableUnits > 0)
                .GroupBy(s => s.SkuId)
                .Select(g => g.First())
                .Select(s => $"{s.SkuPartNumber}: {s.AvailableUnits} of {s.EnabledUnits} seats free")
                .ToList();
        }

        private async Task RemoveAsync(SkuInfo source, IReadOnlyList<UserLicenses> users, SubscriptionClosureOptions options,
            CappedList removed, CappedList failures, CancellationToken cancellationToken)
        {
            var change = new LicenseChange(Array.Empty<AssignedSku>(), new[] { source.SkuId });
            for (var start = 0; start < users.Count; start += 20)
            {
                var batch = users.Skip(start).Take(20).ToList();
                var open = batch.Select((u, i) => new WriteRequest
                {
                    RequestId = (start + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    UserId = u.Id,
                    Kind = WriteKind.AssignLicense,
                    Change = change,
                }).ToList();
                var byId = open.ToDictionary(w => w.RequestId, w => batch[int.Parse(w.RequestId, System.Globalization.CultureInfo.InvariantCulture) - start]);
                for (var attempt = 1; open.Count > 0; attempt++)
                {
                    var outcomes = await _gateway.SendWritesAsync(open, cancellationToken).ConfigureAwait(false);
                    var retry = new List<WriteRequest>();
                    TimeSpan? wait = null;
                    foreach (var request in open)
                    {
                        var outcome = outcomes.FirstOrDefault(o => o.RequestId == request.RequestId) ?? new WriteOutcome { RequestId = request.RequestId };
                        var user = byId[request.RequestId];
                        if (outcome.Succeeded)
                        {
                            removed.Add(E4HolderScan.DisplayName(user));
                        }
                        else if (RetryClassifier.IsRetryable(outcome.Status) && attempt < options.WriteAttempts)
                        {
                            retry.Add(request);
                            var backoff = Backoff.Slow.After(attempt, outcome.RetryAfter);
                            wait = wait == null || backoff > wait ? backoff : wait;
                        }
                        else
                        {
                            failures.Add($"{E4HolderScan.DisplayName(user)} (HTTP {outcome.Status} {outcome.ErrorCode})");
                        }
                    }

                    open = retry;
                    if (open.Count > 0 && wait.HasValue)
                    {
                        await _clock.DelayAsync(wait.Value, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }

        private static IReadOnlyList<Guid> TargetSkuIds(IReadOnlyList<SkuInfo> skus, IReadOnlyList<string> targetSkus, out bool requireAll)
        {
            requireAll = (targetSkus ?? Array.Empty<string>()).Any(t => !string.IsNullOrWhiteSpace(t));
            if (requireAll)
            {
                return new SkuResolver(skus).ResolveTarget(targetSkus!).SkuIds;
            }

            return skus.Where(E4SkuFamily.IsUpgradeTarget).Select(s => s.SkuId).ToList();
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
                    $"{usage.DirectWithoutTarget.Describe(usage.DirectWithoutTarget.Items.Count)}. Move them first (Start-E4Upgrade or Move-UserLicense); removing E4 would leave them unlicensed.");
            }

            if (usage.DirectWithTarget.Count > 0)
            {
                parts.Add($"{usage.DirectWithTarget.Count} users hold it directly next to the target: {usage.DirectWithTarget.Describe(usage.DirectWithTarget.Items.Count)}." +
                    (force ? "" : " -Force removes E4 from them (they keep the target)."));
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

    /// <summary>How an admin cancels E4 (doc sections 7 and 8): there is no public API for it.</summary>
    internal static class CancellationInstructions
    {
        public static string For(SkuInfo source, SubscriptionSummary summary)
        {
            var licenses = Math.Max(summary.TotalLicenses, source.EnabledUnits);
            var reduce = licenses > 25
                ? $" It has {licenses} licenses: online cancellation needs 25 or fewer, so reduce the license count first (Billing > Your products > the subscription > Add or remove licenses)."
                : "";
            return $"{source.SkuPartNumber} has no seat in use and no group assigns it; it can be cancelled. " +
                "There is no public API to cancel a subscription bought directly from Microsoft (Graph subscribedSkus and directory/subscriptions are read-only), so E4Upgrade does not cancel it. " +
                "Cancel it in the Microsoft 365 admin center: Billing > Your products > the Office 365 E4 subscription > Cancel subscription." + reduce +
                " With a Microsoft Customer Agreement, a prorated cancellation is only possible within 7 days of purchase or renewal; after that, turn off recurring billing so it ends at the renewal date. Remove any custom domain tied to the subscription first. " +
                "If E4 was bought through a CSP partner, the partner cancels it in Partner Center; Volume Licensing customers go through their Microsoft account representative.";
        }
    }
}
