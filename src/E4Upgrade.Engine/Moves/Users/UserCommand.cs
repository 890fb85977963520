using System;

namespace E4Upgrade.Engine.Moves
{
    internal enum UserCommandKind
    {
        /// <summary>Read the user (by its key) after <see cref="UserCommand.Delay"/>.</summary>
        Read,
        /// <summary>Send the user's next write (usage location or assignLicense) after <see cref="UserCommand.Delay"/>.</summary>
        Write,
        /// <summary>The user goes in the read or write the scheduler is sending now (answer to ReadStarting or WriteStarting).</summary>
        Send,
        /// <summary>Carry out the effects (a dependency to learn), then give the user <see cref="UserEvent.DependencyLearnt"/>.</summary>
        DecideAgain,
        /// <summary>The user is done: report <see cref="UserCommand.Result"/>.</summary>
        Report,
        /// <summary>The user is one already taken (same id, or same missing key): no result of its own.</summary>
        DropDuplicate,
        /// <summary>Stop the whole run with <see cref="UserCommand.StopError"/>; this user stays unreported.</summary>
        StopRun,
        /// <summary>Nothing more happens to the user: the run stopped (it is counted as not processed).</summary>
        Abandon,
        /// <summary>Nothing changes: the user stays where it is queued (or, filling a read, waits for the next one).</summary>
        Keep,
    }

    /// <summary>What the scheduler does next for one user.</summary>
    internal sealed class UserCommand
    {
        private UserCommand(UserCommandKind kind)
        {
            Kind = kind;
        }

        public UserCommandKind Kind { get; private set; }
        public TimeSpan Delay { get; private set; }
        public MoveResult? Result { get; private set; }
        public Exception? StopError { get; private set; }

        public static UserCommand ReadAfter(TimeSpan delay) => new UserCommand(UserCommandKind.Read) { Delay = delay };

        public static UserCommand WriteAfter(TimeSpan delay) => new UserCommand(UserCommandKind.Write) { Delay = delay };

        public static UserCommand Report(MoveResult result) => new UserCommand(UserCommandKind.Report) { Result = result };

        public static UserCommand StopRun(Exception error) => new UserCommand(UserCommandKind.StopRun) { StopError = error };

        public static UserCommand Send { get; } = new UserCommand(UserCommandKind.Send);
        public static UserCommand DecideAgain { get; } = new UserCommand(UserCommandKind.DecideAgain);
        public static UserCommand DropDuplicate { get; } = new UserCommand(UserCommandKind.DropDuplicate);
        public static UserCommand Abandon { get; } = new UserCommand(UserCommandKind.Abandon);
        public static UserCommand Keep { get; } = new UserCommand(UserCommandKind.Keep);

        public override string ToString() => Kind switch
        {
            UserCommandKind.Read or UserCommandKind.Write => $"{Kind} after {Delay.TotalSeconds:0.###} s",
            UserCommandKind.Report => $"Report {Result!.Status} {Result.Reason}".TrimEnd(),
            UserCommandKind.StopRun => $"StopRun {(StopError as E4UpgradeException)?.ErrorId}",
            _ => Kind.ToString(),
        };
    }
}
