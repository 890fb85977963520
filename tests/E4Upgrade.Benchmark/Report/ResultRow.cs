using System.Text.Json.Serialization;

namespace E4Upgrade.Benchmark.Report;

/// <summary>One row of out/bench/results.json: the fields issue 6 asks for first, then the ones that explain them.</summary>
public sealed class ResultRow
{
    [JsonPropertyName("strategy")] [JsonPropertyOrder(0)] public required string Strategy { get; init; }
    [JsonPropertyName("users")] [JsonPropertyOrder(1)] public required int Users { get; init; }
    [JsonPropertyName("seconds")] [JsonPropertyOrder(2)] public required double Seconds { get; init; }
    [JsonPropertyName("usersPerSecond")] [JsonPropertyOrder(3)] public required double UsersPerSecond { get; init; }

    /// <summary>Ideal time / actual time, 0 to 1 (for a sample: compared by rate with the whole tenant's ideal).</summary>
    [JsonPropertyName("ceilingRatio")] [JsonPropertyOrder(4)] public required double CeilingRatio { get; init; }

    /// <summary>Writes answered 429 (simulator counter over the run).</summary>
    [JsonPropertyName("throttled")] [JsonPropertyOrder(5)] public required long Throttled { get; init; }
    [JsonPropertyName("lost")] [JsonPropertyOrder(6)] public required int Lost { get; init; }
    [JsonPropertyName("usersEverUnlicensed")] [JsonPropertyOrder(7)] public required int UsersEverUnlicensed { get; init; }
    [JsonPropertyName("peakMemoryMB")] [JsonPropertyOrder(8)] public required double PeakMemoryMB { get; init; }

    /// <summary>True when the strategy ran on a sample of the tenant's E4 holders (compared by rate).</summary>
    [JsonPropertyName("sampled")] [JsonPropertyOrder(9)] public required bool Sampled { get; init; }
    [JsonPropertyName("idealSeconds")] [JsonPropertyOrder(10)] public required double IdealSeconds { get; init; }

    /// <summary>Writes admitted by the quota (successful or not); writes + throttled = write attempts.</summary>
    [JsonPropertyName("writes")] [JsonPropertyOrder(11)] public required long Writes { get; init; }

    /// <summary>Throttled / (writes + throttled), in percent.</summary>
    [JsonPropertyName("throttledPercent")] [JsonPropertyOrder(12)] public required double ThrottledPercent { get; init; }
    [JsonPropertyName("moved")] [JsonPropertyOrder(13)] public required int Moved { get; init; }
    [JsonPropertyName("reportedNotMoved")] [JsonPropertyOrder(14)] public required int ReportedNotMoved { get; init; }
    [JsonPropertyName("usersWithMultipleLicenseWrites")] [JsonPropertyOrder(15)] public required int UsersWithMultipleLicenseWrites { get; init; }

    /// <summary>The strategy process's wall time, including runtime start (and module import for E4Upgrade).</summary>
    [JsonPropertyName("processSeconds")] [JsonPropertyOrder(16)] public required double ProcessSeconds { get; init; }
}
