using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>One group an earlier run sent a swap to and did not verify, as read now.</summary>
    internal sealed class EarlierGroupSwap
    {
        public EarlierGroupSwap(string groupId, string name, GroupLicenses? group, bool landed, GroupSeatNeed? need)
        {
            GroupId = groupId;
            Name = name;
            Group = group;
            Landed = landed;
            Need = need;
        }

        public string GroupId { get; }
        /// <summary>The name the journal recorded.</summary>
        public string Name { get; }
        /// <summary>The group as read now; null when it has been deleted since.</summary>
        public GroupLicenses? Group { get; }
        /// <summary>The group assigns every target SKU: the swap landed.</summary>
        public bool Landed { get; }
        /// <summary>Its members who do not hold the target yet (a seat each is owed to them); null when they were not listed.</summary>
        public GroupSeatNeed? Need { get; }
    }

    /// <summary>
    /// The group swaps an earlier run sent and did not verify (the journal names them), read once per phase: whether each
    /// group still exists, whether its swap landed, and the members who do not hold the target yet, the seats owed to it.
    /// The direct phase reads them before the free seats, so it cannot hand those seats to direct holders while Entra is
    /// still working through the group; the group phase reads them again (the direct phase may have taken minutes) and
    /// verifies them.
    /// </summary>
    internal static class EarlierGroupSwaps
    {
        /// <param name="listUnlanded">Also list the members of a group whose swap shows no target (the group phase verifies it all the same).</param>
        public static async Task<IReadOnlyList<EarlierGroupSwap>> ReadAsync(ILicensingGateway gateway, IEnumerable<KeyValuePair<string, string>> groups,
            CompoundTarget target, bool listUnlanded, CancellationToken cancellationToken)
        {
            var swaps = new List<EarlierGroupSwap>();
            foreach (var sent in groups)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var group = await gateway.GetGroupAsync(sent.Key, cancellationToken).ConfigureAwait(false);
                var landed = group != null && AssignsTheTarget(group, target);
                GroupSeatNeed? need = null;
                if (group != null && (landed || listUnlanded))
                {
                    need = GroupSeatNeed.Of(await GroupMemberListings.ReadAsync(gateway, group.Id, cancellationToken).ConfigureAwait(false), target.SkuIds);
                }

                swaps.Add(new EarlierGroupSwap(sent.Key, sent.Value, group, landed, need));
            }

            return swaps;
        }

        /// <summary>The seats owed to the earlier swaps that landed, by target SKU (deleted groups and swaps that did not land owe none).</summary>
        public static async Task<IReadOnlyDictionary<Guid, int>> PromisedSeatsAsync(ILicensingGateway gateway, IEnumerable<KeyValuePair<string, string>> groups,
            CompoundTarget target, CancellationToken cancellationToken)
        {
            var seats = new GroupSeats(new Dictionary<Guid, int>());
            foreach (var swap in await ReadAsync(gateway, groups, target, listUnlanded: false, cancellationToken).ConfigureAwait(false))
            {
                if (swap.Landed)
                {
                    seats.Promise(swap.Group!.Id, swap.Need!);
                }
            }

            return seats.PromisedBySku();
        }

        /// <summary>The group assigns every SKU of the target.</summary>
        public static bool AssignsTheTarget(GroupLicenses group, CompoundTarget target) =>
            target.SkuIds.All(t => group.AssignedLicenses.Any(a => a.SkuId == t));
    }
}
