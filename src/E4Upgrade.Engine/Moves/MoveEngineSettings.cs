using System;
using E4Upgrade.Engine.Pacing;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>Tuning and test seams of <see cref="LicenseMoveEngine"/>. Defaults suit Graph's documented limits.</summary>
    public sealed class MoveEngineSettings
    {
        /// <summary>Write pacing: rates, batches in flight, batch size, Graph's write limit.</summary>
        public PacerSettings Pacer { get; set; } = new PacerSettings();
        /// <summary>assignLicense sends per user (first try included) before the user is reported RetriesExhausted; also bounds reads per user.</summary>
        public int MaxAttempts { get; set; } = 8;
        /// <summary>Time source for pacing and retry delays; the real clock when null.</summary>
        public IClock? Clock { get; set; }
        /// <summary>Told about each write before it is sent and about each result (a journal hooks in here).</summary>
        public IMoveObserver? Observer { get; set; }
        /// <summary>$batch reads (20 users each) in flight at once.</summary>
        public int MaxReadsInFlight { get; set; } = 2;
        /// <summary>Users taken from the input and not yet reported; bounds memory however long the input is.</summary>
        public int MaxUsersInProgress { get; set; } = 1000;
        /// <summary>First delay before retrying after an unanswered or failed (5xx) write or read; doubles per attempt.</summary>
        public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);
        public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);
        /// <summary>
        /// How long a read may still show a user as it was before our write (Entra's eventual consistency: "a successful
        /// write does not guarantee that an immediate read will reflect that change"). A re-read that decides whether a
        /// write landed waits this long first. No figure is published; 5 s is our choice.
        /// </summary>
        public TimeSpan ReplicationLag { get; set; } = TimeSpan.FromSeconds(5);
        /// <summary>How long a partly filled batch waits for more users while reads are still coming.</summary>
        public TimeSpan BatchLinger { get; set; } = TimeSpan.FromMilliseconds(20);
        public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(250);

        /// <summary>The same settings with another observer; every other setting, present or future, is kept.</summary>
        internal MoveEngineSettings WithObserver(IMoveObserver? observer)
        {
            var copy = (MoveEngineSettings)MemberwiseClone();
            copy.Observer = observer;
            return copy;
        }

        /// <summary>The same settings on another clock.</summary>
        internal MoveEngineSettings WithClock(IClock clock)
        {
            var copy = (MoveEngineSettings)MemberwiseClone();
            copy.Clock = clock;
            return copy;
        }

        internal void Validate()
        {
            if (Pacer == null)
            {
                throw new ArgumentException("Pacer settings are required.");
            }

            Pacer.Validate();
            if (ReplicationLag < TimeSpan.Zero)
            {
                throw new ArgumentException("ReplicationLag must not be negative.");
            }

            if (MaxAttempts < 1 || MaxReadsInFlight < 1 || MaxUsersInProgress < 1)
            {
                throw new ArgumentException("MaxAttempts, MaxReadsInFlight and MaxUsersInProgress must be at least 1.");
            }
        }
    }
}
