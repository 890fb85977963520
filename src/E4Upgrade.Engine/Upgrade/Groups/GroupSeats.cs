using System;
using System.Collections.Generic;
using System.Linq;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// The target seats promised to group swaps. consumedUnits counts a group member only once Entra has processed the
    /// member, so a swap that was sent and not yet processed (in this run or an earlier one, which the journal names)
    /// still owes its members a seat that subscribedSkus shows free. Each member who lacks a target SKU is promised one
    /// seat of it, once however many groups promise it (Entra takes one seat per user and SKU). Free seats are the
    /// free seats of one read of subscribedSkus, taken after the members of the swaps already sent were listed, minus
    /// the promises; a promise is kept for the whole run, since that read never learns that a member was processed.
    /// </summary>
    internal sealed class GroupSeats
    {
        private readonly IReadOnlyDictionary<Guid, int> _available;
        /// <summary>SKU -> member id -> the groups that promised the member a seat of it.</summary>
        private readonly Dictionary<Guid, Dictionary<string, HashSet<string>>> _promised = new Dictionary<Guid, Dictionary<string, HashSet<string>>>();

        /// <param name="available">Free seats per target SKU as subscribedSkus shows them; empty when only promises are counted.</param>
        public GroupSeats(IReadOnlyDictionary<Guid, int> available)
        {
            _available = available;
        }

        /// <summary>Seats of the SKU promised to group swaps (members counted once).</summary>
        public int Promised(Guid sku) => _promised.TryGetValue(sku, out var members) ? members.Count : 0;

        /// <summary>Seats of the SKU neither consumed nor promised.</summary>
        public int Free(Guid sku) => (_available.TryGetValue(sku, out var free) ? free : 0) - Promised(sku);

        /// <summary>Seats promised per SKU, for the direct phase to hold back.</summary>
        public IReadOnlyDictionary<Guid, int> PromisedBySku() => _promised.ToDictionary(p => p.Key, p => p.Value.Count);

        /// <summary>Records the seats of a swap that was sent already: they are owed whatever is free now.</summary>
        public void Promise(string groupId, GroupSeatNeed need)
        {
            foreach (var sku in need.Skus)
            {
                if (!_promised.TryGetValue(sku, out var members))
                {
                    _promised[sku] = members = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
                }

                foreach (var member in need.MembersLacking(sku))
                {
                    if (!members.TryGetValue(member, out var groups))
                    {
                        members[member] = groups = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                    }

                    groups.Add(groupId);
                }
            }
        }

        /// <summary>
        /// The target SKUs the free seats cannot cover for the group's members not promised a seat of them yet (empty: the
        /// swap may be sent). A group swap is all or nothing for its members, so one shortage refuses the group.
        /// </summary>
        public IReadOnlyList<SeatShortage> Shortages(GroupSeatNeed need) =>
            need.Skus
                .Select(sku => new SeatShortage(sku, NewlyNeeded(sku, need), Math.Max(0, Free(sku))))
                .Where(s => s.Needed > s.Free)
                .ToList();

        /// <summary>The group's swap was not sent, or Graph refused it: its promises go back.</summary>
        public void Release(string groupId)
        {
            foreach (var members in _promised.Values)
            {
                foreach (var member in members.Where(m => m.Value.Remove(groupId) && m.Value.Count == 0).Select(m => m.Key).ToList())
                {
                    members.Remove(member);
                }
            }
        }

        private int NewlyNeeded(Guid sku, GroupSeatNeed need) =>
            _promised.TryGetValue(sku, out var members)
                ? need.MembersLacking(sku).Count(m => !members.ContainsKey(m))
                : need.Lacking(sku).Count;
    }

    /// <summary>A target SKU a group's members need more seats of than are free.</summary>
    internal sealed class SeatShortage
    {
        public SeatShortage(Guid sku, int needed, int free)
        {
            Sku = sku;
            Needed = needed;
            Free = free;
        }

        public Guid Sku { get; }
        public int Needed { get; }
        public int Free { get; }
    }
}
