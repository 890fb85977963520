using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>What to do with one user or group: write the change, nothing (already as before the run), or skip it.</summary>
    internal sealed class UndoDecision
    {
        private UndoDecision(UndoStatus status, string? reason, string? message, LicenseChange? change, bool needsSeat)
        {
            Status = status;
            Reason = reason;
            Message = message;
            Change = change;
            NeedsSeat = needsSeat;
        }

        /// <summary>WouldUndo: the write to send; AlreadyUndone or Skipped otherwise.</summary>
        public UndoStatus Status { get; }
        public string? Reason { get; }
        public string? Message { get; }
        public LicenseChange? Change { get; }
        /// <summary>The user does not hold the source in any other way: giving it back takes a seat.</summary>
        public bool NeedsSeat { get; }
        public bool Writes => Change != null;

        public static UndoDecision Write(LicenseChange change, bool needsSeat) => new UndoDecision(UndoStatus.WouldUndo, null, null, change, needsSeat);
        public static UndoDecision Already(string message) => new UndoDecision(UndoStatus.AlreadyUndone, null, message, null, false);
        public static UndoDecision Skip(string reason, string message) => new UndoDecision(UndoStatus.Skipped, reason, message, null, false);
    }

    /// <summary>
    /// Decides each undo from the journal and a fresh read, with no I/O. A user (or group) is given back its source only
    /// while it holds exactly what the run gave it: every target SKU directly, working, with the target's plans the run
    /// disabled and no others, and the source no longer directly. It then gets, in one assignLicense call, the source with
    /// exactly the disabled plans it had before the run, and loses every target SKU the run added (a target it held
    /// before the run is given back with the disabled plans it had then); adding and removing in one call is
    /// atomic (https://learn.microsoft.com/en-us/graph/api/user-assignlicense), so it is never without a license. Anything
    /// else is reported and left alone: a change since the run is the admin's, not ours to overwrite.
    /// </summary>
    internal sealed class UndoPlanner
    {
        private readonly SkuInfo _source;
        private readonly IReadOnlyList<SkuInfo> _targets;

        /// <param name="targets">The run's target SKUs (suite first); one the tenant no longer lists carries no plans.</param>
        public UndoPlanner(SkuInfo source, IReadOnlyList<SkuInfo> targets)
        {
            _source = source ?? throw new ArgumentNullException(nameof(source));
            _targets = targets ?? throw new ArgumentNullException(nameof(targets));
        }

        public SkuInfo Source => _source;
        public IReadOnlyList<SkuInfo> Targets => _targets;
        public string TargetNames => string.Join(" + ", _targets.Select(t => t.SkuPartNumber));

        public UndoDecision ForUser(MovedUser moved, UserLicenses? now)
        {
            if (moved.SourceDisabledPlanIds == null)
            {
                return NotRecorded("user");
            }

            if (moved.RemovedAddOns.Count > 0)
            {
                return UndoDecision.Skip(ErrorIds.UndoAddOnsNotRestorable,
                    $"The run also removed {string.Join(", ", moved.RemovedAddOns)} from this user (-RemoveRedundantAddOns) and did not record their disabled plans, so undo cannot give them back exactly. " +
                    $"Nothing was changed: give back {_source.SkuPartNumber} and the add-ons by hand, or leave the user on {TargetNames}.");
            }

            if (now == null)
            {
                return UndoDecision.Skip(ErrorIds.UserNotFound, "The user no longer exists; there is nothing to give back.");
            }

            if (HoldsStart(now, moved.SourceDisabledPlanIds, moved.TargetsHeldBefore))
            {
                return UndoDecision.Already($"Already holds {_source.SkuPartNumber} as before the run and none of {TargetNames} directly; nothing was sent.");
            }

            var changed = ChangeSinceRun(
                sku => LicenseHolding.Of(now, sku.SkuId) is var h && h.Direct && !h.InError ? h.DisabledPlans : null,
                LicenseHolding.Of(now, _source.SkuId).Direct,
                moved.TargetDisabledPlanNames);
            if (changed != null)
            {
                return UndoDecision.Skip(ErrorIds.UndoChangedSinceRun, $"Changed since the run: {changed}. It was left as it is; change it by hand if it should go back to {_source.SkuPartNumber}.");
            }

            return UndoDecision.Write(ChangeBack(moved.SourceDisabledPlanIds, moved.TargetsHeldBefore), needsSeat: !LicenseHolding.Of(now, _source.SkuId).Held);
        }

        public UndoDecision ForGroup(MovedGroup moved, GroupLicenses? now)
        {
            if (moved.SourceDisabledPlanIds == null)
            {
                return NotRecorded("group");
            }

            if (now == null)
            {
                return UndoDecision.Skip(ErrorIds.GroupNotFound, "The group no longer exists; there is nothing to give back.");
            }

            if (GroupHoldsStart(now, moved.SourceDisabledPlanIds, moved.TargetsHeldBefore))
            {
                return UndoDecision.Already($"Already assigns {_source.SkuPartNumber} as before the run and none of {TargetNames}; nothing was sent.");
            }

            var changed = ChangeSinceRun(
                sku => now.AssignedLicenses.FirstOrDefault(a => a.SkuId == sku.SkuId)?.DisabledPlans,
                now.AssignedLicenses.Any(a => a.SkuId == _source.SkuId),
                moved.TargetDisabledPlanNames);
            if (changed != null)
            {
                return UndoDecision.Skip(ErrorIds.UndoChangedSinceRun, $"Changed since the run: {changed}. It was left as it is; change its licenses by hand if it should go back to {_source.SkuPartNumber}.");
            }

            return UndoDecision.Write(ChangeBack(moved.SourceDisabledPlanIds, moved.TargetsHeldBefore), needsSeat: false);
        }

        /// <summary>
        /// The user holds what it held before the run: the source directly with exactly these disabled plans, and each
        /// target directly only where it did before the run, with the disabled plans it had then.
        /// </summary>
        public bool HoldsStart(UserLicenses user, IReadOnlyList<Guid> sourceDisabled, IReadOnlyDictionary<Guid, IReadOnlyList<Guid>> targetsHeldBefore)
        {
            var source = LicenseHolding.Of(user, _source.SkuId);
            return source.Direct && SameIds(source.DisabledPlans, sourceDisabled) && _targets.All(t =>
            {
                var holding = LicenseHolding.Of(user, t.SkuId);
                return targetsHeldBefore.TryGetValue(t.SkuId, out var before)
                    ? holding.Direct && SameIds(holding.DisabledPlans, before)
                    : !holding.Direct;
            });
        }

        /// <summary>
        /// The group assigns what it assigned before the run: the source with exactly these disabled plans, and a target
        /// only where it did before the run, with the disabled plans it had then.
        /// </summary>
        public bool GroupHoldsStart(GroupLicenses group, IReadOnlyList<Guid> sourceDisabled, IReadOnlyDictionary<Guid, IReadOnlyList<Guid>> targetsHeldBefore)
        {
            var source = group.AssignedLicenses.FirstOrDefault(a => a.SkuId == _source.SkuId);
            return source != null && SameIds(source.DisabledPlans, sourceDisabled) && _targets.All(t =>
            {
                var assigned = group.AssignedLicenses.FirstOrDefault(a => a.SkuId == t.SkuId);
                return targetsHeldBefore.TryGetValue(t.SkuId, out var before)
                    ? assigned != null && SameIds(assigned.DisabledPlans, before)
                    : assigned == null;
            });
        }

        /// <summary>
        /// The one body of an undo: the source with its old disabled plans added, and every target SKU removed together,
        /// except a target the user held directly before the run: that one is sent again with the disabled plans it had
        /// then (re-adding a held SKU replaces its disabledPlans, https://learn.microsoft.com/en-us/graph/api/user-assignlicense).
        /// </summary>
        public LicenseChange ChangeBack(IReadOnlyList<Guid> sourceDisabled, IReadOnlyDictionary<Guid, IReadOnlyList<Guid>> targetsHeldBefore)
        {
            var adds = new List<AssignedSku> { new AssignedSku(_source.SkuId, sourceDisabled.Distinct().ToList()) };
            adds.AddRange(_targets.Where(t => targetsHeldBefore.ContainsKey(t.SkuId))
                .Select(t => new AssignedSku(t.SkuId, targetsHeldBefore[t.SkuId].Distinct().ToList())));
            return new LicenseChange(adds, _targets.Where(t => !targetsHeldBefore.ContainsKey(t.SkuId)).Select(t => t.SkuId).ToList());
        }


        /// <summary>Names of the source's plans (unknown ids as the id), for results.</summary>
        public IReadOnlyList<string> SourcePlanNames(IReadOnlyList<Guid>? ids) =>
            (ids ?? Array.Empty<Guid>()).Distinct().Select(id => _source.ServicePlans.FirstOrDefault(p => p.ServicePlanId == id)?.ServicePlanName ?? id.ToString()).ToList();

        /// <summary>
        /// The seats of the source the undo takes: each user given it back who holds it in no other way, and each member
        /// of a group given it back who does not hold it, counted once. Throws InsufficientSourceSeats when the source
        /// has fewer free seats; the caller checks before any write.
        /// </summary>
        public static int SeatsNeeded(IEnumerable<string> usersNeedingSeat, IEnumerable<UserLicenses> groupMembers, Guid sourceSkuId)
        {
            var ids = new HashSet<string>(usersNeedingSeat, StringComparer.OrdinalIgnoreCase);
            foreach (var member in groupMembers)
            {
                if (!LicenseHolding.Of(member, sourceSkuId).Held)
                {
                    ids.Add(member.Id);
                }
            }

            return ids.Count;
        }

        public E4UpgradeException SeatBlocker(int needed) =>
            new E4UpgradeException(ErrorIds.InsufficientSourceSeats, ErrorCategoryNames.LimitsExceeded,
                $"{_source.SkuPartNumber} has {_source.AvailableUnits} free seats, and giving it back needs {needed} (users and group members who would hold it again). " +
                $"Nothing was changed. Add {needed - _source.AvailableUnits} seats to {_source.SkuPartNumber}, or undo fewer users at a time with -User.");

        private UndoDecision NotRecorded(string what) =>
            UndoDecision.Skip(ErrorIds.UndoStateNotRecorded,
                $"The journal does not record which {_source.SkuPartNumber} plans this {what} had disabled before the run (it was written by an older version of E4Upgrade), " +
                "so undo does not guess. Nothing was changed; give it back by hand.");

        /// <summary>
        /// What differs from what the run gave, or null when it holds exactly that. <paramref name="targetDisabled"/> answers
        /// a target's disabled plans where it is held (directly and working), else null.
        /// </summary>
        private string? ChangeSinceRun(Func<SkuInfo, IReadOnlyList<Guid>?> targetDisabled, bool holdsSourceDirectly, IReadOnlyList<string> disabledByRun)
        {
            var missing = _targets.Where(t => targetDisabled(t) == null).Select(t => t.SkuPartNumber).ToList();
            if (missing.Count > 0)
            {
                return $"it no longer holds {string.Join(", ", missing)} (directly, working)";
            }

            if (holdsSourceDirectly)
            {
                return $"it holds {_source.SkuPartNumber} directly again next to {TargetNames}";
            }

            var now = new HashSet<string>(_targets.SelectMany(t => targetDisabled(t)!.Select(id => PlanName(t, id))), StringComparer.OrdinalIgnoreCase);
            var then = new HashSet<string>(disabledByRun, StringComparer.OrdinalIgnoreCase);
            if (!now.SetEquals(then))
            {
                var added = now.Except(then).ToList();
                var removed = then.Except(now).ToList();
                return "its disabled plans changed" +
                       (added.Count > 0 ? $" (now also disabled: {string.Join(", ", added)})" : "") +
                       (removed.Count > 0 ? $" (enabled again: {string.Join(", ", removed)})" : "");
            }

            return null;
        }

        private static string PlanName(SkuInfo sku, Guid id) => sku.ServicePlans.FirstOrDefault(p => p.ServicePlanId == id)?.ServicePlanName ?? id.ToString();

        private static bool SameIds(IReadOnlyList<Guid> a, IReadOnlyList<Guid> b) => new HashSet<Guid>(a).SetEquals(b);
    }
}
