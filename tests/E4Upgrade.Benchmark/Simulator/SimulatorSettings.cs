using System.Collections.Generic;
using System.Globalization;

namespace E4Upgrade.Benchmark.Simulator;

/// <summary>The simulator's command-line settings the benchmark uses (tests/E4Upgrade.GraphSimulator/README.md).</summary>
public sealed class SimulatorSettings
{
    public int Users { get; init; }
    public string WriteLimit { get; init; } = "3000/150";
    public string TenantWriteLimit { get; init; } = "18000/300";
    public double TimeScale { get; init; } = 1;
    public double LatencyMs { get; init; }
    public int Seed { get; init; } = 1;
    /// <summary>Tokens a refused write still takes (Graph's guidance: early retries count against the limit).</summary>
    public double RefusedWriteCost { get; init; }

    public IEnumerable<string> Arguments()
    {
        yield return "--users";
        yield return Users.ToString(CultureInfo.InvariantCulture);
        yield return "--write-limit";
        yield return WriteLimit;
        yield return "--tenant-write-limit";
        yield return TenantWriteLimit;
        yield return "--time-scale";
        yield return TimeScale.ToString(CultureInfo.InvariantCulture);
        yield return "--latency-ms";
        yield return LatencyMs.ToString(CultureInfo.InvariantCulture);
        yield return "--fault-rate";
        yield return "0";
        yield return "--refused-write-cost";
        yield return RefusedWriteCost.ToString(CultureInfo.InvariantCulture);
        yield return "--seed";
        yield return Seed.ToString(CultureInfo.InvariantCulture);
    }

    public string Describe() =>
        $"{Users} users, --write-limit {WriteLimit}, --tenant-write-limit {TenantWriteLimit}, --time-scale {TimeScale.ToString(CultureInfo.InvariantCulture)}, --latency-ms {LatencyMs.ToString(CultureInfo.InvariantCulture)}, --refused-write-cost {RefusedWriteCost.ToString(CultureInfo.InvariantCulture)}";
}
