using System;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Moves
{
    internal enum UserEventKind
    {
        /// <summary>Taken from the input: a key to read, or a user already read.</summary>
        Arrived,
        /// <summary>A read of the user came back: the user, not found, a failed read, or no answer.</summary>
        ReadAnswered,
        /// <summary>A write for the user came back (or got no answer: status 0).</summary>
        WriteAnswered,
        /// <summary>Graph refused a target seat for another user; this one is still queued.</summary>
        SeatsRefused,
        /// <summary>The caller cancelled the run.</summary>
        Cancel,
    }

    /// <summary>Something that happened to one user. Built by the scheduler; read by <see cref="UserMoveMachine"/>.</summary>
    internal sealed class UserEvent
    {
        private UserEvent(UserEventKind kind)
        {
            Kind = kind;
        }

        public UserEventKind Kind { get; private set; }
        /// <summary>Arrived with licenses, or ReadAnswered with the user Graph returned.</summary>
        public UserLicenses? User { get; private set; }
        public bool NotFound { get; private set; }
        /// <summary>ReadAnswered: the read's own failure (status, code) when Graph answered it with an error.</summary>
        public WriteOutcome? ReadFailure { get; private set; }
        /// <summary>ReadAnswered: the whole read threw (no lookup at all).</summary>
        public Exception? ReadError { get; private set; }
        public WriteKind WriteKind { get; private set; }
        public WriteOutcome? WriteOutcome { get; private set; }

        public static UserEvent ArrivedAsKey { get; } = new UserEvent(UserEventKind.Arrived);

        public static UserEvent ArrivedWithLicenses(UserLicenses user) => new UserEvent(UserEventKind.Arrived) { User = user };

        public static UserEvent Read(UserLookup? lookup) => new UserEvent(UserEventKind.ReadAnswered)
        {
            User = lookup?.User,
            NotFound = lookup != null && lookup.User == null && lookup.NotFound,
            ReadFailure = lookup == null || lookup.User != null || lookup.NotFound
                ? null
                : lookup.Failure ?? new WriteOutcome { Status = 0, ErrorMessage = "The read failed." },
        };

        public static UserEvent ReadThrew(Exception error) => new UserEvent(UserEventKind.ReadAnswered) { ReadError = error };

        public static UserEvent Written(WriteKind kind, WriteOutcome outcome) =>
            new UserEvent(UserEventKind.WriteAnswered) { WriteKind = kind, WriteOutcome = outcome };

        public static UserEvent SeatsRefused { get; } = new UserEvent(UserEventKind.SeatsRefused);
        public static UserEvent Cancel { get; } = new UserEvent(UserEventKind.Cancel);
    }
}
