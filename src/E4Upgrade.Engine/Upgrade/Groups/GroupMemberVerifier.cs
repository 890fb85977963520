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
        /// <summary>Not final yet: Entra has not processed the member, or an error has not been confirmed.</summary>
        Pending,
        /// <summary>Every target SKU is held (working) from this group and the source no longer comes from it.</summary>
        Moved,
        /// <summary>A target SKU from this group is in an error state, on listings at least the replication lag apart.</summary>
        Failed,
        /// <summary>The member was reported final on an earlier listing; nothing more to say.</summary>
        Reported,
    }

    /// <summary>
    /// Decides, member by member and listing by listing, whether a swapped group's members are done: pure (no I/O, no
    /// clock; the caller says when each listing was taken). Member lists can be stale for the replication lag after a
    /// write, so nothing negative is concluded from one read: an error counts only when a listing at least the lag after
    /// the first one that showed it still shows it. Whether a member holds a SKU is <see cref="LicenseHolding"/>'s answer.
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
            var failed = _target.Skus
                .Select(t => (Sku: t, State: fromGroup.FirstOrDefault(s => s.SkuId == t.SkuId && s.HasError)))
                .FirstOrDefault(t => t.State != null);
            if (failed.State != null)
            {
                if (!ErrorConfirmed(member.Id, listedAt))
                {
                    return MemberVerdict.Pending;
                }

                _reported.Add(member.Id);
                result = MemberResult(member, MoveStatus.Failed, LicenseStateErrors.ToErrorId(failed.State.Error),
                    $"Group {_groupLabel}: {failed.Sku.SkuPartNumber} is {failed.State.State} with {failed.State.Error} ({LicenseStateErrors.Explain(failed.State.Error)}).");
                return MemberVerdict.Failed;
            }

            _errorSeenAt.Remove(member.Id);
            var targetsFromGroup = _target.Skus.All(t => LicenseHolding.Of(member, t.SkuId).GroupIds.Contains(_groupId, StringComparer.OrdinalIgnoreCase));
            var sourceFromGroup = fromGroup.Any(s => s.SkuId == _source.SkuId);
            if (!targetsFromGroup || sourceFromGroup)
            {
                return MemberVerdict.Pending;
            }

            _reported.Add(member.Id);
            result = MemberResult(member, MoveStatus.Moved, null, null);
            return MemberVerdict.Moved;
        }

        /// <summary>The result of a member still pending when the phase stops waiting for the group.</summary>
        public MoveResult StillPending(UserLicenses member, TimeSpan timeout) =>
            MemberResult(member, MoveStatus.Failed, ErrorIds.GroupProcessingTimeout,
                $"Group {_groupLabel}: {_target.PartNumbers} not yet Active or {_source.SkuPartNumber} not yet removed after {timeout}.");

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
