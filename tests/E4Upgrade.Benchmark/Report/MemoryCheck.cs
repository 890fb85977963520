using System.Text.Json.Serialization;

namespace E4Upgrade.Benchmark.Report;

/// <summary>out/bench/memory.json: peak memory of Move-UserLicense streaming a small and a large number of users.</summary>
public sealed class MemoryCheck
{
    public const double AllowedDeltaMB = 100;

    [JsonPropertyName("mode")] public required string Mode { get; init; }
    [JsonPropertyName("settings")] public required string Settings { get; init; }
    [JsonPropertyName("small")] public required MemoryRun Small { get; init; }
    [JsonPropertyName("large")] public required MemoryRun Large { get; init; }
    [JsonPropertyName("deltaMB")] public double DeltaMB => System.Math.Round(Large.PeakMemoryMB - Small.PeakMemoryMB, 1);
    [JsonPropertyName("allowedDeltaMB")] public double Allowed => AllowedDeltaMB;
    [JsonPropertyName("met")] public bool Met => DeltaMB <= AllowedDeltaMB && Small.Complete && Large.Complete;
}

public sealed class MemoryRun
{
    [JsonPropertyName("users")] public required int Users { get; init; }
    [JsonPropertyName("peakMemoryMB")] public required double PeakMemoryMB { get; init; }
    [JsonPropertyName("seconds")] public required double Seconds { get; init; }
    [JsonPropertyName("reported")] public required long Reported { get; init; }
    [JsonPropertyName("moved")] public required long Moved { get; init; }
    [JsonPropertyName("skipped")] public required long Skipped { get; init; }
    [JsonPropertyName("failed")] public required long Failed { get; init; }

    /// <summary>Every input user got a result: the run really streamed them all.</summary>
    [JsonPropertyName("complete")] public bool Complete => Reported == Users;
}
