using System;
using System.Collections.Generic;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Moves
{
    internal enum UserEventKind
    {
        /// <summary>Taken from the input: a key to read, or a user already read.</summary>
        Arrived,
        /// <summary>The scheduler is filling a read: the user joins it, waits for the next one, or is a duplicate of a key in it.</summary>
        ReadStarting,
        /// <summary>A read of the user came back: the user, not found, a failed read, or no answer.</summary>
        ReadAnswered,
        /// <summary>The scheduler is sending the user's next write now.</summary>
        WriteStarting,
        /// <summary>A write for the user came back (or got no answer: status 0).</summary>
        WriteAnswered,
        /// <summary>The whole request carrying the user's write failed, or its answer had no item for it.</summary>
        WriteUnanswered,
        /// <summary>The dependency the machine asked to learn (<see cref="UserEffectKind.LearnDependency"/>) is learnt: decide the user again.</summary>
        DependencyLearnt,
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
        public GraphAnswer? ReadFailure { get; private set; }
        /// <summary>ReadAnswered: the whole read threw (no lookup at all).</summary>
        public Exception? ReadError { get; private set; }
        public WriteKind WriteKind { get; private set; }
        public WriteOutcome? WriteOutcome { get; private set; }
        /// <summary>WriteUnanswered: the failure of the whole request, or null when the answer lacked the item.</summary>
        public Exception? WriteError { get; private set; }
        /// <summary>ReadStarting: the keys already in the read being filled.</summary>
        public ICollection<string>? KeysInRead { get; private set; }
        /// <summary>WriteStarting: the id of the request in its $batch.</summary>
        public string RequestId { get; private set; } = "";

        public static UserEvent ArrivedAsKey { get; } = new UserEvent(UserEventKind.Arrived);

        public static UserEvent ArrivedWithLicenses(UserLicenses user) => new UserEvent(UserEventKind.Arrived) { User = user };

        public static UserEvent Read(UserLookup? lookup) => new UserEvent(UserEventKind.ReadAnswered)
        {
            User = lookup?.User,
            NotFound = lookup != null && lookup.User == null && lookup.NotFound,
            ReadFailure = lookup == null || lookup.User != null || lookup.NotFound
                ? null
                : lookup.Failure ?? new GraphAnswer { Status = 0, ErrorMessage = "The read failed." },
        };

        public static UserEvent ReadThrew(Exception error) => new UserEvent(UserEventKind.ReadAnswered) { ReadError = error };

        public static UserEvent Written(WriteKind kind, WriteOutcome outcome) =>
            new UserEvent(UserEventKind.WriteAnswered) { WriteKind = kind, WriteOutcome = outcome };

        public static UserEvent ReadStarting(ICollection<string> keysInRead) => new UserEvent(UserEventKind.ReadStarting) { KeysInRead = keysInRead };

        public static UserEvent WriteStarting(string requestId) => new UserEvent(UserEventKind.WriteStarting) { RequestId = requestId };

        /// <summary>The request carrying the write failed as a whole (<paramref name="error"/>), or its answer had no item for it (null).</summary>
        public static UserEvent WriteUnanswered(WriteKind kind, Exception? error) =>
            new UserEvent(UserEventKind.WriteUnanswered) { WriteKind = kind, WriteError = error };

        public static UserEvent DependencyLearnt { get; } = new UserEvent(UserEventKind.DependencyLearnt);
        public static UserEvent SeatsRefused { get; } = new UserEvent(UserEventKind.SeatsRefused);
        public static UserEvent Cancel { get; } = new UserEvent(UserEventKind.Cancel);
    }
}
