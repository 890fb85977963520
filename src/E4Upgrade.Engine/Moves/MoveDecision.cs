using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>Either a result needing no write, or the write to make.</summary>
    internal sealed class MoveDecision
    {
        private MoveDecision(MoveResult? result, PlanMapping? mapping, bool needsSeat, bool needsUsageLocation, string? note)
        {
            Result = result;
            Mapping = mapping;
            NeedsSeat = needsSeat;
            NeedsUsageLocation = needsUsageLocation;
            Note = note;
        }

        public MoveResult? Result { get; }
        public PlanMapping? Mapping { get; }
        /// <summary>The user does not hold the target yet, so the swap takes one target seat.</summary>
        public bool NeedsSeat { get; }
        /// <summary>The usage location must be set (PATCH) before the assignment.</summary>
        public bool NeedsUsageLocation { get; set; }
        /// <summary>Added to the Moved result's message.</summary>
        public string? Note { get; }

        public static MoveDecision Report(MoveResult result) => new MoveDecision(result, null, false, false, null);

        public static MoveDecision Write(PlanMapping mapping, bool needsSeat, bool needsUsageLocation, string? note) =>
            new MoveDecision(null, mapping, needsSeat, needsUsageLocation, note);
    }
}
