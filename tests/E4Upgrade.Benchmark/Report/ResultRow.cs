using System.Text.Json.Serialization;

namespace E4Upgrade.Benchmark.Report;

/// <summary>One row of out/bench/results.json: the fields issue 6 asks for first, then the ones that explain them.</summary>
public sealed class ResultRow
{
    /// <summary>The simulator profile of the run: realistic or ideal.</summary>
    [JsonPropertyName("profile")] [JsonPropertyOrder(-1)] public required string Profile { get; init; }
    [JsonPropertyName("strategy")] [JsonPropertyOrder(0)] public required string Strategy { get; init; }
    [JsonPropertyName("users")] [JsonPropertyOrder(1)] public required int Users { get; init; }

    /// <summary>The move's own time; for a run that did not finish, how long it ran before it was stopped.</summary>
    [JsonPropertyName("seconds")] [JsonPropertyOrder(2)] public required double Seconds { get; init; }

    /// <summary>Users moved per second (for a finished run, input users per second).</summary>
    [JsonPropertyName("usersPerSecond")] [JsonPropertyOrder(3)] public required double UsersPerSecond { get; init; }

    /// <summary>
    /// Ideal time / actual time, 0 to 1: the share of the ceiling left to the strategy (the quota minus the background
    /// load) that it used. For a sample: compared by rate with the whole input's ideal. For a run that did not finish:
    /// the ideal time of the users it did move over the time it ran.
    /// </summary>
    [JsonPropertyName("ceilingRatio")] [JsonPropertyOrder(4)] public required double CeilingRatio { get; init; }

    /// <summary>Writes answered 429, whatever the cause (the simulator's writesThrottled over the run).</summary>
    [JsonPropertyName("throttled")] [JsonPropertyOrder(5)] public required long Throttled { get; init; }
    /// <summary>Users neither moved nor reported not moved; null for a run that did not finish (it never reported on the rest).</summary>
    [JsonPropertyName("lost")] [JsonPropertyOrder(6)] public required int? Lost { get; init; }
    [JsonPropertyName("usersEverUnlicensed")] [JsonPropertyOrder(7)] public required int UsersEverUnlicensed { get; init; }

    /// <summary>Peak resident memory of the strategy's process; 0 when it did not finish (it was killed before it could say).</summary>
    [JsonPropertyName("peakMemoryMB")] [JsonPropertyOrder(8)] public required double PeakMemoryMB { get; init; }

    /// <summary>True when the strategy ran on a sample of the tenant's E4 holders (compared by rate).</summary>
    [JsonPropertyName("sampled")] [JsonPropertyOrder(9)] public required bool Sampled { get; init; }

    /// <summary>False when the strategy was stopped at its time budget.</summary>
    [JsonPropertyName("finished")] [JsonPropertyOrder(10)] public required bool Finished { get; init; }
    [JsonPropertyName("budgetSeconds")] [JsonPropertyOrder(11)] public required double BudgetSeconds { get; init; }
    [JsonPropertyName("idealSeconds")] [JsonPropertyOrder(12)] public required double IdealSeconds { get; init; }

    /// <summary>Writes admitted by the quota (successful or not); writes + throttled = write attempts.</summary>
    [JsonPropertyName("writes")] [JsonPropertyOrder(13)] public required long Writes { get; init; }

    /// <summary>Throttled / (writes + throttled), in percent.</summary>
    [JsonPropertyName("throttledPercent")] [JsonPropertyOrder(14)] public required double ThrottledPercent { get; init; }

    /// <summary>Calls sent again before the Retry-After of the 429 they follow (the simulator's earlyRetries).</summary>
    [JsonPropertyName("earlyRetries")] [JsonPropertyOrder(15)] public required long EarlyRetries { get; init; }

    /// <summary>Users reported Failed whom the tenant shows holding the target.</summary>
    [JsonPropertyName("failedButOnTarget")] [JsonPropertyOrder(16)] public required int FailedButOnTarget { get; init; }
    [JsonPropertyName("moved")] [JsonPropertyOrder(17)] public required int Moved { get; init; }
    [JsonPropertyName("reportedNotMoved")] [JsonPropertyOrder(18)] public required int ReportedNotMoved { get; init; }
    [JsonPropertyName("usersWithMultipleLicenseWrites")] [JsonPropertyOrder(19)] public required int UsersWithMultipleLicenseWrites { get; init; }

    /// <summary>All 429s (reads too), and of those: spurious ones, resource-unit ones; refused writes charged anyway.</summary>
    [JsonPropertyName("allThrottled")] [JsonPropertyOrder(20)] public required long AllThrottled { get; init; }
    [JsonPropertyName("spuriousThrottled")] [JsonPropertyOrder(21)] public required long SpuriousThrottled { get; init; }
    [JsonPropertyName("resourceUnitThrottled")] [JsonPropertyOrder(22)] public required long ResourceUnitThrottled { get; init; }
    [JsonPropertyName("refusedWritesCharged")] [JsonPropertyOrder(23)] public required long RefusedWritesCharged { get; init; }

    /// <summary>Reads answered with a state from before the object's latest write (replication lag exercised).</summary>
    [JsonPropertyName("readsStale")] [JsonPropertyOrder(24)] public required long ReadsStale { get; init; }
    [JsonPropertyName("requests")] [JsonPropertyOrder(25)] public required long Requests { get; init; }

    /// <summary>The strategy process's wall time, including runtime start (and module import for E4Upgrade).</summary>
    [JsonPropertyName("processSeconds")] [JsonPropertyOrder(26)] public required double ProcessSeconds { get; init; }
}
