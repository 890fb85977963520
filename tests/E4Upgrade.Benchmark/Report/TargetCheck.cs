using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using E4Upgrade.Benchmark.Simulator;
using E4Upgrade.Benchmark.Strategies;

namespace E4Upgrade.Benchmark.Report;

/// <summary>
/// The targets, each with what was measured and MET / NOT MET: issue 10's for E4Upgrade under the realistic profile,
/// issue 6's under the ideal one, and the memory check.
/// </summary>
public sealed record TargetCheck(string Target, string Measured, bool Met)
{
    public const double RealisticMinCeilingRatio = 0.95;
    public const double RealisticMaxThrottledPercent = 1.0;
    public const double IdealMinCeilingRatio = 0.9;
    public const double IdealMaxThrottledPercent = 2.0;

    public string Verdict => Met ? "MET" : "NOT MET";

    public static IReadOnlyList<TargetCheck> Evaluate(string profile, IReadOnlyList<ResultRow> rows) =>
        profile == SimulatorSettings.Realistic ? Realistic(rows) : Ideal(rows);

    public static TargetCheck Memory(MemoryCheck? memory)
    {
        if (memory is null)
        {
            return new TargetCheck("Move-UserLicense memory: large run <= 100 MB above small run", "not measured", false);
        }

        var measured = $"{memory.Large.Users:N0} users {memory.Large.PeakMemoryMB:0.0} MB vs {memory.Small.Users:N0} users {memory.Small.PeakMemoryMB:0.0} MB: {memory.DeltaMB:+0.0;-0.0;0.0} MB"
            + (memory.Small.Complete && memory.Large.Complete ? "" : " (a run did not report every user)");
        return new TargetCheck($"Move-UserLicense memory: {memory.Large.Users:N0} users <= {MemoryCheck.AllowedDeltaMB:0} MB above {memory.Small.Users:N0}", measured, memory.Met);
    }

    private static IReadOnlyList<TargetCheck> Realistic(IReadOnlyList<ResultRow> rows)
    {
        var e4 = rows.FirstOrDefault(r => r.Strategy == E4UpgradeLauncher.StrategyName);
        if (e4 is null)
        {
            return new[] { new TargetCheck("E4Upgrade row (realistic)", "missing", false) };
        }

        return new[]
        {
            Ratio(e4, RealisticMinCeilingRatio, "of the ceiling left to it (the quota minus the background load)"),
            new TargetCheck($"E4Upgrade: writes answered 429 <= {RealisticMaxThrottledPercent.ToString("0.#", CultureInfo.InvariantCulture)}%", ThrottledMeasured(e4), e4.ThrottledPercent <= RealisticMaxThrottledPercent),
            new TargetCheck("E4Upgrade: earlyRetries == 0", e4.EarlyRetries.ToString("N0", CultureInfo.InvariantCulture), e4.EarlyRetries == 0),
            new TargetCheck(
                "E4Upgrade: 0 lost, 0 ever unlicensed, 0 reported Failed but on the target",
                $"{Lost(e4)} lost, {e4.UsersEverUnlicensed} ever unlicensed, {e4.FailedButOnTarget} reported Failed but on the target",
                e4.Finished && e4.Lost == 0 && e4.UsersEverUnlicensed == 0 && e4.FailedButOnTarget == 0),
        };
    }

    private static IReadOnlyList<TargetCheck> Ideal(IReadOnlyList<ResultRow> rows)
    {
        var checks = new List<TargetCheck>();
        var e4 = rows.FirstOrDefault(r => r.Strategy == E4UpgradeLauncher.StrategyName);
        if (e4 is null)
        {
            checks.Add(new TargetCheck("E4Upgrade row (ideal)", "missing", false));
        }
        else
        {
            checks.Add(Ratio(e4, IdealMinCeilingRatio, "of the ceiling"));
            checks.Add(new TargetCheck($"E4Upgrade: < {IdealMaxThrottledPercent.ToString("0.#", CultureInfo.InvariantCulture)}% of writes answered 429", ThrottledMeasured(e4), e4.ThrottledPercent < IdealMaxThrottledPercent));
        }

        foreach (var row in rows)
        {
            checks.Add(new TargetCheck($"{row.Strategy}: 0 lost, 0 ever unlicensed", $"{Lost(row)} lost, {row.UsersEverUnlicensed} ever unlicensed", row.Finished && row.Lost == 0 && row.UsersEverUnlicensed == 0));
        }

        return checks;
    }

    private static TargetCheck Ratio(ResultRow e4, double minimum, string ofWhat)
    {
        var scope = e4.Sampled ? $" (sample of {e4.Users:N0} users only)" : $" over {e4.Users:N0} users";
        var measured = e4.CeilingRatio.ToString("0.000", CultureInfo.InvariantCulture) + (e4.Finished ? "" : $" (did not finish within {e4.BudgetSeconds:0} s)");
        return new TargetCheck($"E4Upgrade at >= {minimum.ToString("0.00", CultureInfo.InvariantCulture)} {ofWhat}{scope}", measured, e4.CeilingRatio >= minimum && e4.Finished && !e4.Sampled);
    }

    private static string ThrottledMeasured(ResultRow row) =>
        $"{row.ThrottledPercent.ToString("0.00", CultureInfo.InvariantCulture)}% ({row.Throttled:N0} of {row.Writes + row.Throttled:N0}; {row.SpuriousThrottled:N0} of all 429s spurious)";

    private static string Lost(ResultRow row) => row.Lost?.ToString(CultureInfo.InvariantCulture) ?? "n/a (did not finish)";
}
