using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace E4Upgrade.Benchmark.Simulator;

/// <summary>The simulator's command-line settings the benchmark uses (tests/E4Upgrade.GraphSimulator/README.md).</summary>
public sealed class SimulatorSettings
{
    public const string Ideal = "ideal";
    public const string Realistic = "realistic";

    /// <summary>--profile: ideal (every realism knob off) or realistic (the simulator's documented defaults).</summary>
    public string Profile { get; init; } = Ideal;
    public int Users { get; init; }
    public string WriteLimit { get; init; } = "3000/150";
    public string TenantWriteLimit { get; init; } = "18000/300";
    public double TimeScale { get; init; } = 1;
    public double LatencyMs { get; init; }
    public int Seed { get; init; } = 1;

    /// <summary>Tokens a refused write still takes (Graph's guidance: early retries count against the limit).</summary>
    public double RefusedWriteCost { get; init; }

    /// <summary>Other apps' writes per Graph second against the tenant-wide bucket.</summary>
    public double BackgroundWritesPerSecond { get; init; }

    /// <summary>Share of calls answered 429 while under every limit.</summary>
    public double Spurious429Rate { get; init; }

    /// <summary>--resource-unit-limit: off, auto or R/S.</summary>
    public string ResourceUnitLimit { get; init; } = "off";

    public IEnumerable<string> Arguments(string token) => Options().SelectMany(o => new[] { o.Name, o.Value }).Concat(new[] { "--token", token });

    public string Describe() => string.Join(", ", Options().Select(o => $"{o.Name} {o.Value}"));

    private IEnumerable<(string Name, string Value)> Options()
    {
        yield return ("--profile", Profile);
        yield return ("--users", Number(Users));
        yield return ("--write-limit", WriteLimit);
        yield return ("--tenant-write-limit", TenantWriteLimit);
        yield return ("--time-scale", Number(TimeScale));
        yield return ("--latency-ms", Number(LatencyMs));
        yield return ("--fault-rate", "0");
        yield return ("--refused-write-cost", Number(RefusedWriteCost));
        yield return ("--background-writes", Number(BackgroundWritesPerSecond));
        yield return ("--spurious-429-rate", Number(Spurious429Rate));
        yield return ("--resource-unit-limit", ResourceUnitLimit);
        yield return ("--seed", Number(Seed));
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
