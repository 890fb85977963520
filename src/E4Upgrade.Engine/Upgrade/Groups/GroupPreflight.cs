using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>One member a group swap would leave without a license, and why.</summary>
    internal sealed class RefusedMember
    {
        public RefusedMember(UserLicenses member, string reason, string message)
        {
            Member = member;
            Reason = reason;
            Message = message;
        }

        public UserLicenses Member { get; }
        /// <summary>The error id of the member's result.</summary>
        public string Reason { get; }
        public string Message { get; }
    }

    /// <summary>Why a group is not swapped, and the members it names (each once).</summary>
    internal sealed class GroupRefusal
    {
        public GroupRefusal(string message, IReadOnlyList<RefusedMember> members)
        {
            Message = message;
            Members = members;
        }

        public string Message { get; }
        public IReadOnlyList<RefusedMember> Members { get; }
    }

    /// <summary>
    /// Decides before a group swap is sent whether it may be, and promises its seats when it may. A group swap removes the
    /// source from every member even where Entra cannot assign the target, which would leave those members without any
    /// license, so a group is refused whole when (1) the target's free seats, less those promised to swaps sent and not
    /// yet processed (<see cref="GroupSeats"/>), cannot cover every member who lacks the target, even with
    /// InsufficientTargetSeats accepted; or (2) <see cref="GroupMemberConflicts"/> predicts Graph would refuse a member
    /// the target, unless the admin accepted <see cref="FindingCodes.GroupMemberConflicts"/>.
    /// </summary>
    internal sealed class GroupPreflight
    {
        private readonly SkuInfo _source;
        private readonly CompoundTarget _target;
        private readonly bool _conflictsAccepted;
        private readonly Action<string> _warning;
        private GroupMemberConflicts? _conflicts;

        public GroupPreflight(SkuInfo source, CompoundTarget target, bool conflictsAccepted, Action<string> warning)
        {
            _source = source;
            _target = target;
            _conflictsAccepted = conflictsAccepted;
            _warning = warning;
        }

        /// <summary>Null when the swap may be sent; its seats are then promised in <paramref name="seats"/>. Otherwise nothing is promised.</summary>
        public GroupRefusal? Check(GroupLicenses group, IReadOnlyList<UserLicenses> members, IReadOnlyList<SkuInfo> skus, LicenseChange change, GroupSeats seats)
        {
            var need = GroupSeatNeed.Of(members, _target.SkuIds);
            var refusal = SeatShortage(need, seats.Shortages(need)) ?? MemberConflicts(group, members, skus, change);
            if (refusal == null)
            {
                seats.Promise(group.Id, need);
            }

            return refusal;
        }

        private GroupRefusal? SeatShortage(GroupSeatNeed need, IReadOnlyList<SeatShortage> shortages)
        {
            if (shortages.Count == 0)
            {
                return null;
            }

            var message = "Not swapped: " + string.Join("; ", shortages.Select(s => $"{s.Needed} members need a {PartNumber(s.Sku)} seat and only {s.Free} are free" +
                    " (after the seats promised to group swaps Entra has not processed yet)")) + ". " +
                $"A group swap removes {_source.SkuPartNumber} from every member even where it cannot assign {_target.PartNumbers}, " +
                "which would leave members without a license. Add seats and run the same command again.";
            var refused = shortages.SelectMany(s => need.Lacking(s.Sku))
                .GroupBy(m => m.Id, StringComparer.OrdinalIgnoreCase)
                .Select(g => new RefusedMember(g.First(), ErrorIds.InsufficientLicenses, message))
                .ToList();
            return new GroupRefusal(message, refused);
        }

        private GroupRefusal? MemberConflicts(GroupLicenses group, IReadOnlyList<UserLicenses> members, IReadOnlyList<SkuInfo> skus, LicenseChange change)
        {
            _conflicts ??= new GroupMemberConflicts(skus, _source.SkuId, _target);
            foreach (var member in members)
            {
                _conflicts.Learn(member);
            }

            var conflicted = members.Select(m => (Member: m, Conflict: _conflicts.Predict(m, change.Add))).Where(c => c.Conflict != null).ToList();
            if (conflicted.Count == 0)
            {
                return null;
            }

            var kinds = string.Join(", ", conflicted.Select(c => c.Conflict!.Error).Distinct());
            if (_conflictsAccepted)
            {
                _warning($"Group {group.Label}: [{FindingCodes.GroupMemberConflicts}] accepted: {conflicted.Count} members are expected to get {kinds} and lose {_source.SkuPartNumber} without {_target.PartNumbers}.");
                return null;
            }

            var message = $"Not swapped: {conflicted.Count} members would get {kinds} for {_target.PartNumbers} " +
                $"(for example {conflicted[0].Member.Label}: {conflicted[0].Conflict!.Explanation}). A group swap removes {_source.SkuPartNumber} " +
                "from every member at once, so they would be left with neither license. Resolve their other licenses (each member's result names the cause), " +
                $"or accept it with -AcceptFinding {FindingCodes.GroupMemberConflicts}, and run the same command again.";
            var refused = conflicted
                .GroupBy(c => c.Member.Id, StringComparer.OrdinalIgnoreCase)
                .Select(g => g.First())
                .Select(c => new RefusedMember(c.Member, LicenseStateErrors.ToErrorId(c.Conflict!.Error),
                    $"Group {group.Label} not swapped: {_target.PartNumbers} would be refused with {c.Conflict.Error}: {c.Conflict.Explanation}."))
                .ToList();
            return new GroupRefusal(message, refused);
        }

        private string PartNumber(Guid sku) => _target.Skus.FirstOrDefault(t => t.SkuId == sku)?.SkuPartNumber ?? sku.ToString();
    }
}
