using System;
using E4Upgrade.Engine.Pacing;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>Tuning and test seams of <see cref="LicenseMoveEngine"/>. Defaults suit Graph's documented limits.</summary>
    public sealed class MoveEngineSettings
    {
        /// <summary>$batch requests of writes in flight at once.</summary>
        public int MaxBatchesInFlight { get; set; } = 4;
        /// <summary>assignLicense sends per user (first try included) before the user is reported RetriesExhausted; also bounds reads per user.</summary>
        public int MaxAttempts { get; set; } = 8;
        public double InitialWritesPerSecond { get; set; } = 50;
        public double MinWritesPerSecond { get; set; } = 1;
        public double MaxWritesPerSecond { get; set; } = 5000;
        /// <summary>Everything else about pacing; when set, its rates and batch cap are overridden by the properties above.</summary>
        public PacerSettings? Pacer { get; set; }
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
        /// <summary>How long a partly filled batch waits for more users while reads are still coming.</summary>
        public TimeSpan BatchLinger { get; set; } = TimeSpan.FromMilliseconds(20);
        public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(250);

        internal PacerSettings BuildPacerSettings()
        {
            var pacer = Pacer ?? new PacerSettings();
            return new PacerSettings
            {
                InitialWritesPerSecond = InitialWritesPerSecond,
                MinWritesPerSecond = MinWritesPerSecond,
                MaxWritesPerSecond = MaxWritesPerSecond,
                MaxBatchesInFlight = MaxBatchesInFlight,
                MaxBatchSize = pacer.MaxBatchSize,
                RateDoublingTime = pacer.RateDoublingTime,
                ThrottledRateFactor = pacer.ThrottledRateFactor,
                WriteLimit = pacer.WriteLimit,
                TargetLimitPercentage = pacer.TargetLimitPercentage,
                HoldRateAbovePercentage = pacer.HoldRateAbovePercentage,
                MinProbeInterval = pacer.MinProbeInterval,
                MaxProbeInterval = pacer.MaxProbeInterval,
                DefaultRetryAfter = pacer.DefaultRetryAfter,
                MaxRetryAfter = pacer.MaxRetryAfter,
            };
        }
    }

    /// <summary>
    /// Hook for a journal. Both calls come from the engine's loop, one at a time, synchronously: keep them quick.
    /// </summary>
    public interface IMoveObserver
    {
        /// <summary>An assignLicense for this user (object id) is about to be sent; called before every attempt.</summary>
        void WriteSending(string userId);

        /// <summary>A result was decided (before it is yielded to the caller).</summary>
        void Completed(MoveResult result);
    }
}
