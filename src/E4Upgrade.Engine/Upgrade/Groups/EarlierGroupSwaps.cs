using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// The seats still owed to group swaps an earlier run sent and did not verify (the journal names them): the members
    /// of each group that now assigns the target who do not hold it yet. Read before the direct phase reads the free
    /// seats, so that phase cannot hand them to direct holders while Entra is still working through the group.
    /// </summary>
    internal static class EarlierGroupSwaps
    {
        public static async Task<IReadOnlyDictionary<Guid, int>> PromisedSeatsAsync(ILicensingGateway gateway, IEnumerable<KeyValuePair<string, string>> groups,
            CompoundTarget target, CancellationToken cancellationToken)
        {
            var seats = new GroupSeats(new Dictionary<Guid, int>());
            foreach (var sent in groups)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var group = await gateway.GetGroupAsync(sent.Key, cancellationToken).ConfigureAwait(false);
                if (group == null || !target.SkuIds.All(t => group.AssignedLicenses.Any(a => a.SkuId == t)))
                {
                    continue; // deleted, or the swap did not land: nothing is owed
                }

                var members = new List<UserLicenses>();
                await foreach (var member in gateway.ListGroupMembersAsync(group.Id, cancellationToken).ConfigureAwait(false))
                {
                    members.Add(member);
                }

                seats.Promise(group.Id, GroupSeatNeed.Of(members, target.SkuIds));
            }

            return seats.PromisedBySku();
        }
    }
}
