using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>What one listing of a member says about the member's part of a group swap.</summary>
    internal enum MemberVerdict
    {
        /// <summary>Still processing: Entra has not processed the member, the source still comes from the group, or an error has not been confirmed.</summary>
        Pending,
        /// <summary>
        /// Every target SKU is held (working) from this group, or this group's assignment carries an error while the member
        /// holds the SKU anyway (ActiveWithError, or another group or a direct assignment gives it); the source no longer comes from it.
        /// </summary>
        Moved,
        /// <summary>A target SKU from this group is in an error state and not held, on listings at least the replication lag apart: the admin must act.</summary>
        Failed,
        /// <summary>The member was reported final on an earlier listing; nothing more to say.</summary>
        Reported,
    }

    /// <summary>
    /// Decides, member by member and listing by listing, whether a swapped group's members are done: pure (no I/O, no
    /// clock; the caller says when each listing was taken). Member lists can be stale for the replication lag after a
    /// write, so nothing negative is concluded from one read: an error counts only when a listing at least the lag after
    /// the first one that showed it still shows it.
    /// What each target assignment from this group says (licenseAssignmentState, Graph's resource page: state Active,
    /// ActiveWithError, Disabled or Error; error null or "None" when there is none):
    /// <list type="bullet">
    /// <item>none yet: Entra has not processed the member (pending);</item>
    /// <item>Active (or no state reported) without an error: working;</item>
    /// <item>any other state or an error, while the member's assignedLicenses lists the SKU (ActiveWithError, or the SKU
    /// comes from another group or directly, as when Entra retries a LicenseAssignmentAttributeConcurrencyException for a
    /// user in several groups with the same license, entra-docs licensing-groups-resolve-problems.md): the member has the
    /// target's services, so the member counts as moved and the error is named in the result's message;</item>
    /// <item>Error or Disabled while the SKU is not held: a failure the admin must act on, once confirmed (Entra records
    /// group errors on the user and does not resolve them by itself, same page).</item>
    /// </list>
    /// Its table of cases is GroupMemberVerifierTests.
    /// </summary>
    internal sealed class GroupMemberVerifier
    {
        private readonly string _groupId;
        private readonly string _groupLabel;
        private readonly SkuInfo _source;
        private readonly CompoundTarget _target;
        private readonly TimeSpan _replicationLag;
        private readonly HashSet<string> _reported = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, TimeSpan> _errorSeenAt = new Dictionary<string, TimeSpan>(StringComparer.OrdinalIgnoreCase);

        public GroupMemberVerifier(string groupId, string groupLabel, SkuInfo source, CompoundTarget target, TimeSpan replicationLag)
        {
            _groupId = groupId;
            _groupLabel = groupLabel;
            _source = source;
            _target = target;
            _replicationLag = replicationLag;
        }

        /// <summary>The member as a listing taken at <paramref name="listedAt"/> shows them; a final verdict comes with its result, once.</summary>
        public MemberVerdict Observe(UserLicenses member, TimeSpan listedAt, out MoveResult? result)
        {
            result = null;
            if (_reported.Contains(member.Id))
            {
                return MemberVerdict.Reported;
            }

            var fromGroup = member.AssignmentStates.Where(s => string.Equals(s.AssignedByGroup, _groupId, StringComparison.OrdinalIgnoreCase)).ToList();
            var targets = _target.Skus.Select(t => (Sku: t, State: fromGroup.FirstOrDefault(s => s.SkuId == t.SkuId))).ToList();
            var failed = targets.FirstOrDefault(t => t.State != null && !LicenseHolding.Working(t.State) && !Holds(member, t.Sku.SkuId));
            if (failed.State != null)
            {
                if (!ErrorConfirmed(member.Id, listedAt))
                {
                    return MemberVerdict.Pending;
                }

                _reported.Add(member.Id);
                var keeps = LicenseHolding.Of(member, _source.SkuId).Held ? $"; {_source.SkuPartNumber} is kept" : "";
                result = MemberResult(member, MoveStatus.Failed, ReasonOf(failed.State), $"Group {_groupLabel}: {Describe(failed.Sku, failed.State)}{keeps}.");
                return MemberVerdict.Failed;
            }

            _errorSeenAt.Remove(member.Id);
            var sourceFromGroup = fromGroup.Any(s => s.SkuId == _source.SkuId);
            if (targets.Any(t => t.State == null) || sourceFromGroup)
            {
                return MemberVerdict.Pending;
            }

            _reported.Add(member.Id);
            var notes = targets.Where(t => !LicenseHolding.Working(t.State!)).Select(t => Describe(t.Sku, t.State!) + ", yet the member holds it").ToList();
            result = MemberResult(member, MoveStatus.Moved, null, notes.Count == 0 ? null : $"Group {_groupLabel}: " + string.Join("; ", notes) + ".");
            return MemberVerdict.Moved;
        }

        /// <summary>The result of a member still pending when the phase stops waiting for the group.</summary>
        public MoveResult StillPending(UserLicenses member, TimeSpan timeout) =>
            MemberResult(member, MoveStatus.Failed, ErrorIds.GroupProcessingTimeout,
                $"Group {_groupLabel}: {_target.PartNumbers} not yet Active or {_source.SkuPartNumber} not yet removed after {timeout}.");

        /// <summary>The member has the SKU's services: Graph's assignedLicenses lists it (an ActiveWithError assignment, another group's or a direct one).</summary>
        private static bool Holds(UserLicenses member, Guid skuId) =>
            member.AssignedLicenses.Any(a => a.SkuId == skuId) || LicenseHolding.Of(member, skuId).Held;

        private static bool IsDisabled(LicenseAssignment state) => string.Equals(state.State, "Disabled", StringComparison.OrdinalIgnoreCase);

        private static string ReasonOf(LicenseAssignment state) =>
            IsDisabled(state) && !state.HasError ? ErrorIds.GroupLicenseDisabled : LicenseStateErrors.ToErrorId(state.Error);

        private static string Describe(SkuInfo sku, LicenseAssignment state) =>
            state.HasError
                ? $"{sku.SkuPartNumber} is {state.State ?? "Error"} with {state.Error} ({LicenseStateErrors.Explain(state.Error)})"
                : $"{sku.SkuPartNumber} is {state.State}" + (IsDisabled(state) ? " (the assignment is not in effect)" : "");

        /// <summary>An error is confirmed by a listing at least the replication lag after the first one that showed it.</summary>
        private bool ErrorConfirmed(string memberId, TimeSpan listedAt)
        {
            if (!_errorSeenAt.TryGetValue(memberId, out var firstSeen))
            {
                _errorSeenAt[memberId] = listedAt;
                return _replicationLag <= TimeSpan.Zero;
            }

            return listedAt - firstSeen >= _replicationLag;
        }

        private MoveResult MemberResult(UserLicenses member, MoveStatus status, string? reason, string? message) => new MoveResult
        {
            UserId = member.Id,
            UserPrincipalName = member.UserPrincipalName,
            Status = status,
            Reason = reason,
            Message = message,
            GroupId = _groupId,
        };
    }
}
