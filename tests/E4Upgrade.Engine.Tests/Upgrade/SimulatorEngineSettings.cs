using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>The engine's settings for a run against a simulator process started with --time-scale 50.</summary>
internal static class SimulatorEngineSettings
{
    /// <param name="replicationLag">The engine's wait before re-reading after a write (real time: Graph's lag / 50).</param>
    public static MoveEngineSettings AtTimeScale50(TimeSpan replicationLag) => new()
    {
        Pacer = { InitialWritesPerSecond = 1000, MaxWritesPerSecond = 5000 }, // the write ceiling at --time-scale 50
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromMilliseconds(500),
        ReplicationLag = replicationLag,
    };
}
