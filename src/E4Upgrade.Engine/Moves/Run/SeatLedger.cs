using System;
using System.Collections.Generic;
using System.Linq;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>
    /// The target SKUs' free seats as this run sees them, one count per SKU of a compound target: counted down so the
    /// run stops before overrunning them, not after, and closed for good once Graph refuses a seat (someone else took
    /// seats the count still showed). A user's seats of every SKU it lacks are taken together or not at all.
    /// Changed only through <see cref="UserMoveMachine"/>'s effects (<see cref="RunFacts"/>); which user holds which seats is the user's own state.
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

        /// <summary>The first of <paramref name="skus"/> with no seat left, or null when one of each can be taken. Changes nothing.</summary>
        public Guid? FirstShort(IReadOnlyList<Guid> skus)
        {
            foreach (var sku in skus)
            {
                if (!_left.TryGetValue(sku, out var n) || n <= 0)
                {
                    return sku;
                }
            }

            return null;
        }

        /// <summary>Takes one seat of each SKU (the caller checked <see cref="FirstShort"/>).</summary>
        public void Take(IReadOnlyList<Guid> skus)
        {
            foreach (var sku in skus)
            {
                _left[sku]--;
            }
        }

        /// <summary>Gives seats back: the write they were taken for will not be sent.</summary>
        public void Return(IReadOnlyList<Guid> skus)
        {
            foreach (var sku in skus)
            {
                _left[sku]++;
            }
        }

        /// <summary>A seat of <paramref name="sku"/> was wanted and none was left.</summary>
        public void NoteShort(Guid sku) => ShortSku = sku;

        /// <summary>Graph refused a seat (of <paramref name="sku"/> when its message named one): no further seat is handed out.</summary>
        public void RefusedByGraphFor(Guid? sku)
        {
            RefusedByGraph = true;
            ShortSku = sku ?? ShortSku;
        }
    }
}
