using System;
using System.Collections.Generic;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>Either a result needing no write, or the write to make.</summary>
    internal sealed class MoveDecision
    {
        private MoveDecision(MoveResult? result, CompoundPlanMapping? mapping, IReadOnlyList<Guid> seatSkus, IReadOnlyList<SkuInfo> removedAddOns,
            bool needsUsageLocation, string? note, IReadOnlyDictionary<Guid, IReadOnlyList<Guid>>? heldTargets = null)
        {
            HeldTargets = heldTargets ?? new Dictionary<Guid, IReadOnlyList<Guid>>();
            Result = result;
            Mapping = mapping;
            SeatSkus = seatSkus;
            RemovedAddOns = removedAddOns;
            NeedsUsageLocation = needsUsageLocation;
            Note = note;
        }

        public MoveResult? Result { get; }
        public CompoundPlanMapping? Mapping { get; }
        /// <summary>The target SKUs the user does not hold yet: the swap takes one seat of each.</summary>
        public IReadOnlyList<Guid> SeatSkus { get; }
        public bool NeedsSeat => SeatSkus.Count > 0;
        /// <summary>Redundant add-ons removed in the same call (-RemoveRedundantAddOns).</summary>
        public IReadOnlyList<SkuInfo> RemovedAddOns { get; }
        /// <summary>The usage location must be set (PATCH) before the assignment.</summary>
        public bool NeedsUsageLocation { get; }
        /// <summary>The target SKUs the user held directly before the write, with their disabled plans (what Undo-E4Upgrade keeps).</summary>
        public IReadOnlyDictionary<Guid, IReadOnlyList<Guid>> HeldTargets { get; }
        /// <summary>Added to the Moved result's message.</summary>
        public string? Note { get; }

        /// <summary>The same write once the usage location is set.</summary>
        public MoveDecision WithoutUsageLocation() =>
            new MoveDecision(Result, Mapping, SeatSkus, RemovedAddOns, needsUsageLocation: false, Note, HeldTargets);

        public static MoveDecision Report(MoveResult result) =>
            new MoveDecision(result, null, Array.Empty<Guid>(), Array.Empty<SkuInfo>(), false, null);

        public static MoveDecision Write(CompoundPlanMapping mapping, IReadOnlyList<Guid> seatSkus, IReadOnlyList<SkuInfo> removedAddOns, bool needsUsageLocation, string? note,
            IReadOnlyDictionary<Guid, IReadOnlyList<Guid>>? heldTargets = null) =>
            new MoveDecision(null, mapping, seatSkus, removedAddOns, needsUsageLocation, note, heldTargets);
    }
}
