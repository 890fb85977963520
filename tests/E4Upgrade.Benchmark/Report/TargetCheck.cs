using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using E4Upgrade.Benchmark.Strategies;

namespace E4Upgrade.Benchmark.Report;

/// <summary>Issue 6's targets, each with what was measured and MET / NOT MET.</summary>
public sealed record TargetCheck(string Target, string Measured, bool Met)
{
    public const double MinCeilingRatio = 0.9;
    public const double MaxThrottledPercent = 2.0;

    public string Verdict => Met ? "MET" : "NOT MET";

    public static IReadOnlyList<TargetCheck> Evaluate(IReadOnlyList<ResultRow> rows, MemoryCheck? memory)
    {
        var checks = new List<TargetCheck>();
        var e4 = rows.FirstOrDefault(r => r.Strategy == E4UpgradeLauncher.StrategyName);
        if (e4 is null)
        {
            checks.Add(new TargetCheck("E4Upgrade row", "missing", false));
        }
        else
        {
            var scope = e4.Sampled ? $" (sample of {e4.Users:N0} users only)" : $" over {e4.Users:N0} users";
            checks.Add(new TargetCheck($"E4Upgrade at >= {MinCeilingRatio * 100:0}% of the ceiling{scope}", e4.CeilingRatio.ToString("0.000", CultureInfo.InvariantCulture), e4.CeilingRatio >= MinCeilingRatio && !e4.Sampled));
            checks.Add(new TargetCheck($"E4Upgrade: < {MaxThrottledPercent}% of writes answered 429", $"{e4.ThrottledPercent.ToString("0.00", CultureInfo.InvariantCulture)}% ({e4.Throttled:N0} of {e4.Writes + e4.Throttled:N0})", e4.ThrottledPercent < MaxThrottledPercent));
        }

        foreach (var row in rows)
        {
            checks.Add(new TargetCheck($"{row.Strategy}: 0 lost, 0 ever unlicensed", $"{row.Lost} lost, {row.UsersEverUnlicensed} ever unlicensed", row.Lost == 0 && row.UsersEverUnlicensed == 0));
        }

        if (memory is null)
        {
            checks.Add(new TargetCheck("Move-UserLicense memory: large run <= 100 MB above small run", "not measured", false));
        }
        else
        {
            var measured = $"{memory.Large.Users:N0} users {memory.Large.PeakMemoryMB:0.0} MB vs {memory.Small.Users:N0} users {memory.Small.PeakMemoryMB:0.0} MB: {memory.DeltaMB:+0.0;-0.0;0.0} MB"
                + (memory.Small.Complete && memory.Large.Complete ? "" : " (a run did not report every user)");
            checks.Add(new TargetCheck($"Move-UserLicense memory: {memory.Large.Users:N0} users <= {MemoryCheck.AllowedDeltaMB:0} MB above {memory.Small.Users:N0}", measured, memory.Met));
        }

        return checks;
    }
}
