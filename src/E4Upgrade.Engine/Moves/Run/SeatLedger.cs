using System;
using System.Collections.Generic;
using System.Linq;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>
    /// The target SKUs' free seats as this run sees them, one count per SKU of a compound target: counted down so the
    /// run stops before overrunning them, not after, and closed for good once Graph refuses a seat (someone else took
    /// seats the count still showed). A user's seats of every SKU it lacks are taken together or not at all.
    /// The one place a user's seats are reserved, released or lost.
    /// </summary>
    internal sealed class SeatLedger
    {
        private readonly Dictionary<Guid, int> _left;

        public SeatLedger(IReadOnlyDictionary<Guid, int> available)
        {
            _left = available.ToDictionary(a => a.Key, a => a.Value);
        }

        /// <summary>
        /// Holds back seats promised elsewhere that the free count does not show yet (members of group swaps Entra has
        /// not processed: Upgrade/Groups/GroupSeats), so no user write takes them.
        /// </summary>
        public void Withhold(IReadOnlyDictionary<Guid, int> promised)
        {
            foreach (var seats in promised)
            {
                if (_left.ContainsKey(seats.Key))
                {
                    _left[seats.Key] -= Math.Max(0, seats.Value);
                }
            }
        }

        /// <summary>Graph answered "no available licenses": no further write that needs a seat is sent.</summary>
        public bool RefusedByGraph { get; private set; }

        /// <summary>The SKU that ran out: the one Graph named in its refusal, else the one whose count reached zero.</summary>
        public Guid? ShortSku { get; private set; }

        /// <summary>Reserves one seat of each SKU the user lacks (or keeps those it holds); false when any is gone.</summary>
        public bool TryReserveFor(PendingUser user, IReadOnlyList<Guid> skus)
        {
            if (user.SeatReserved)
            {
                return !RefusedByGraph;
            }

            if (RefusedByGraph || !TryTake(skus))
            {
                return false;
            }

            user.SeatReserved = true;
            user.ReservedSkus = skus;
            return true;
        }

        /// <summary>Counts the seats for a planned move (-WhatIf): nobody holds them, nothing is released.</summary>
        public bool TryCountForPlan(IReadOnlyList<Guid> skus) => !RefusedByGraph && TryTake(skus);

        /// <summary>The user's write will not be sent (or did not take its seats): its seats go back.</summary>
        public void ReleaseFor(PendingUser user)
        {
            if (user.SeatReserved)
            {
                user.SeatReserved = false;
                foreach (var sku in user.ReservedSkus)
                {
                    _left[sku]++;
                }

                user.ReservedSkus = Array.Empty<Guid>();
            }
        }

        /// <summary>Graph refused a seat (of <paramref name="sku"/> when its message named one): the user's reservation is void and no further seat is handed out.</summary>
        public void RefusedFor(PendingUser user, Guid? sku)
        {
            user.SeatReserved = false;
            user.ReservedSkus = Array.Empty<Guid>();
            RefusedByGraph = true;
            ShortSku = sku ?? ShortSku;
        }

        /// <summary>After Graph's refusal a queued user's reservation means nothing; it is dropped without a release.</summary>
        public void Forget(PendingUser user)
        {
            user.SeatReserved = false;
            user.ReservedSkus = Array.Empty<Guid>();
        }

        private bool TryTake(IReadOnlyList<Guid> skus)
        {
            var empty = skus.Where(s => !_left.TryGetValue(s, out var n) || n <= 0).ToList();
            if (empty.Count > 0)
            {
                ShortSku = empty[0];
                return false;
            }

            foreach (var sku in skus)
            {
                _left[sku]--;
            }

            return true;
        }
    }
}
