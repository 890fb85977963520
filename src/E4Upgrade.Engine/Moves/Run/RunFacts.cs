namespace E4Upgrade.Engine.Moves
{
    /// <summary>
    /// The facts of a run that <see cref="UserMoveMachine"/> reads for every user and changes only through the effects
    /// it returns: the seats, the users already taken, and the plan dependencies learnt from Graph's refusals.
    /// </summary>
    internal sealed class RunFacts
    {
        private readonly MoveDecider _decider;

        public RunFacts(SeatLedger seats, MoveDecider decider)
        {
            Seats = seats;
            _decider = decider;
        }

        public SeatLedger Seats { get; }
        public TakenUsers Taken { get; } = new TakenUsers();

        /// <summary>Makes the effect when it is one on these facts; false for the scheduler's own (read pauses, the journal's intent).</summary>
        public bool Apply(UserEffect effect)
        {
            switch (effect.Kind)
            {
                case UserEffectKind.TakeSeats:
                    Seats.Take(effect.Skus);
                    return true;
                case UserEffectKind.ReturnSeats:
                    Seats.Return(effect.Skus);
                    return true;
                case UserEffectKind.SeatsShort:
                    Seats.NoteShort(effect.Sku!.Value);
                    return true;
                case UserEffectKind.SeatsRefusedByGraph:
                    Seats.RefusedByGraphFor(effect.Sku);
                    return true;
                case UserEffectKind.UserTaken:
                    Taken.Add(effect.Key);
                    return true;
                case UserEffectKind.KeyMissing:
                    Taken.AddMissing(effect.Key);
                    return true;
                case UserEffectKind.LearnDependency:
                    _decider.LearnFromRefusal(effect.DependentPlan, effect.RequiredPlans, effect.RefusedDecision!);
                    return true;
                default:
                    return false;
            }
        }
    }
}
