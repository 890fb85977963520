using System;
using System.Collections.Generic;

namespace E4Upgrade.Engine.Moves
{
    internal enum UserEffectKind
    {
        /// <summary>Take one seat of each of <see cref="UserEffect.Skus"/> (a reservation, or a planned move's count).</summary>
        TakeSeats,
        /// <summary>Give the seats of <see cref="UserEffect.Skus"/> back: the write they were taken for will not be sent.</summary>
        ReturnSeats,
        /// <summary>A seat of <see cref="UserEffect.Sku"/> was wanted and none is left.</summary>
        SeatsShort,
        /// <summary>Graph refused a seat (of <see cref="UserEffect.Sku"/> when its message named one): no further seat is handed out.</summary>
        SeatsRefusedByGraph,
        /// <summary>The user with object id <see cref="UserEffect.Key"/> is taken: a later row naming it is a duplicate.</summary>
        UserTaken,
        /// <summary>The key <see cref="UserEffect.Key"/> names nobody: a later row with it is a duplicate.</summary>
        KeyMissing,
        /// <summary>Learn the plan dependency a 400 named (kept in the journal), then give the user <see cref="UserEvent.DependencyLearnt"/>.</summary>
        LearnDependency,
        /// <summary>Graph refused a read for a limit that holds every read: start no read for <see cref="UserEffect.Delay"/>.</summary>
        PauseReads,
        /// <summary>An assignLicense for the user <see cref="UserEffect.Key"/> is about to be sent: the journal records the intent first.</summary>
        WriteSending,
    }

    /// <summary>A change outside the user's own state that <see cref="UserMoveMachine.Next"/> asks the scheduler to make.</summary>
    internal sealed class UserEffect
    {
        private UserEffect(UserEffectKind kind)
        {
            Kind = kind;
        }

        public UserEffectKind Kind { get; private set; }
        public IReadOnlyList<Guid> Skus { get; private set; } = Array.Empty<Guid>();
        public Guid? Sku { get; private set; }
        public string Key { get; private set; } = "";
        public TimeSpan Delay { get; private set; }
        public Guid DependentPlan { get; private set; }
        public IReadOnlyList<Guid> RequiredPlans { get; private set; } = Array.Empty<Guid>();
        public MoveDecision? RefusedDecision { get; private set; }

        public static UserEffect TakeSeats(IReadOnlyList<Guid> skus) => new UserEffect(UserEffectKind.TakeSeats) { Skus = skus };

        public static UserEffect ReturnSeats(IReadOnlyList<Guid> skus) => new UserEffect(UserEffectKind.ReturnSeats) { Skus = skus };

        public static UserEffect SeatsShort(Guid sku) => new UserEffect(UserEffectKind.SeatsShort) { Sku = sku };

        public static UserEffect SeatsRefusedByGraph(Guid? sku) => new UserEffect(UserEffectKind.SeatsRefusedByGraph) { Sku = sku };

        public static UserEffect UserTaken(string userId) => new UserEffect(UserEffectKind.UserTaken) { Key = userId };

        public static UserEffect KeyMissing(string key) => new UserEffect(UserEffectKind.KeyMissing) { Key = key };

        public static UserEffect LearnDependency(Guid plan, IReadOnlyList<Guid> requires, MoveDecision refused) =>
            new UserEffect(UserEffectKind.LearnDependency) { DependentPlan = plan, RequiredPlans = requires, RefusedDecision = refused };

        public static UserEffect PauseReads(TimeSpan delay) => new UserEffect(UserEffectKind.PauseReads) { Delay = delay };

        public static UserEffect WriteSending(string userId) => new UserEffect(UserEffectKind.WriteSending) { Key = userId };

        public override string ToString() => Kind switch
        {
            UserEffectKind.TakeSeats or UserEffectKind.ReturnSeats => $"{Kind} {Skus.Count}",
            UserEffectKind.PauseReads => $"{Kind} {Delay.TotalSeconds:0.###} s",
            _ => Kind.ToString(),
        };
    }
}
