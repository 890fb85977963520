using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace E4Upgrade.Benchmark.Report;

/// <summary>Writes results.json (the array of strategy rows), memory.json, scale.json and results.md (tables, targets, settings).</summary>
public sealed class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly string directory;

    public ReportWriter(string directory)
    {
        this.directory = directory;
    }

    public string ResultsJson => Path.Combine(directory, "results.json");
    public string MemoryJson => Path.Combine(directory, "memory.json");
    public string ResultsMarkdown => Path.Combine(directory, "results.md");
    public string ScaleJson => Path.Combine(directory, "scale.json");
    public string GroupsJson => Path.Combine(directory, "groups.json");

    public async Task WriteAsync(BenchmarkReport report, CancellationToken cancellationToken)
    {
        var rows = report.Throughput.SelectMany(t => t.Rows).ToList();
        await File.WriteAllTextAsync(ResultsJson, JsonSerializer.Serialize(rows, Json), cancellationToken).ConfigureAwait(false);
        if (report.Memory is not null)
        {
            await File.WriteAllTextAsync(MemoryJson, JsonSerializer.Serialize(report.Memory, Json), cancellationToken).ConfigureAwait(false);
        }

        if (report.Scale is not null)
        {
            await File.WriteAllTextAsync(ScaleJson, JsonSerializer.Serialize(report.Scale.Measured, Json), cancellationToken).ConfigureAwait(false);
        }

        if (report.Groups is not null)
        {
            await File.WriteAllTextAsync(GroupsJson, JsonSerializer.Serialize(report.Groups.Rows, Json), cancellationToken).ConfigureAwait(false);
        }

        await File.WriteAllTextAsync(ResultsMarkdown, Markdown(report), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One profile's rows; a run stopped at its budget shows "did not finish" and how far it got.</summary>
    public static string Table(IReadOnlyList<ResultRow> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| Strategy | Users | Seconds | Users/s | Ceiling ratio | Writes answered 429 | Early retries | Lost | Ever unlicensed | Failed but on target | Stale reads | Peak memory (MB) |");
        text.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var row in rows)
        {
            var users = row.Sampled ? $"{row.Users:N0} (sample)" : $"{row.Users:N0}";
            var seconds = row.Finished
                ? row.Seconds.ToString("0.0", CultureInfo.InvariantCulture)
                : FormattableString.Invariant($"did not finish: {row.Moved:N0} of {row.Users:N0} moved in {row.Seconds:0} s");
            var lost = row.Lost?.ToString("N0", CultureInfo.InvariantCulture) ?? "n/a";
            var memory = row.Finished ? row.PeakMemoryMB.ToString("0", CultureInfo.InvariantCulture) : "n/a";
            text.AppendLine(FormattableString.Invariant(
                $"| {row.Strategy} | {users} | {seconds} | {row.UsersPerSecond:0.0} | {row.CeilingRatio:0.000} | {row.Throttled:N0} ({row.ThrottledPercent:0.00}%) | {row.EarlyRetries:N0} | {lost} | {row.UsersEverUnlicensed} | {row.FailedButOnTarget} | {row.ReadsStale:N0} | {memory} |"));
        }

        return text.ToString();
    }

    public static string Targets(IReadOnlyList<TargetCheck> checks)
    {
        var text = new StringBuilder();
        text.AppendLine("| Target | Measured | Result |");
        text.AppendLine("|---|---|---|");
        foreach (var check in checks)
        {
            text.AppendLine($"| {check.Target} | {check.Measured} | **{check.Verdict}** |");
        }

        return text.ToString();
    }

    public static string ScaleTable(ScaleCheck scale)
    {
        var text = new StringBuilder();
        text.AppendLine("| Target (issues 3 and 5) | Measured | Result |");
        text.AppendLine("|---|---|---|");
        foreach (var check in scale.Targets())
        {
            text.AppendLine($"| {check.Target} | {check.Measured} | **{check.Verdict}** |");
        }

        return text.ToString();
    }

    private static string Markdown(BenchmarkReport report)
    {
        var text = new StringBuilder();
        text.AppendLine("# E4Upgrade benchmark");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Run {report.StartedUtc:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores ({System.Runtime.InteropServices.RuntimeInformation.OSDescription}), {report.TotalSeconds:0} s in all.");
        text.AppendLine();
        if (report.Throughput.Count == 0)
        {
            text.AppendLine("Throughput: not measured.");
            text.AppendLine();
        }

        foreach (var result in report.Throughput)
        {
            var issue = result.Settings.Profile == Simulator.SimulatorSettings.Realistic ? "issue 10" : "issue 6";
            text.AppendLine(CultureInfo.InvariantCulture, $"## Throughput, {result.Settings.Profile} profile");
            text.AppendLine();
            text.AppendLine($"Simulator: {result.Settings.Describe()}. {result.CeilingDescription}");
            text.AppendLine();
            text.Append(Table(result.Rows));
            text.AppendLine();
            text.AppendLine($"Targets ({issue}):");
            text.AppendLine();
            text.Append(Targets(result.Targets));
            text.AppendLine();
        }

        text.AppendLine("## Memory");
        text.AppendLine();
        text.Append(Targets(new[] { report.MemoryTarget }));
        text.AppendLine();
        if (report.Memory is { } memory)
        {
            text.AppendLine($"Move-UserLicense ({memory.Mode}) in a fresh pwsh, peak resident memory (VmHWM) of that process. Simulator: {memory.Settings}.");
            text.AppendLine();
            text.AppendLine("| Users streamed | Seconds | Results | Moved | Skipped | Failed | Peak memory (MB) |");
            text.AppendLine("|--:|--:|--:|--:|--:|--:|--:|");
            foreach (var run in new[] { memory.Small, memory.Large })
            {
                text.AppendLine(FormattableString.Invariant($"| {run.Users:N0} | {run.Seconds:0.0} | {run.Reported:N0} | {run.Moved:N0} | {run.Skipped:N0} | {run.Failed:N0} | {run.PeakMemoryMB:0.0} |"));
            }

            text.AppendLine();
            text.AppendLine(FormattableString.Invariant($"Difference: {memory.DeltaMB:+0.0;-0.0;0.0} MB (allowed: {memory.Allowed:0} MB)."));
            text.AppendLine();
        }

        if (report.Scale is { } scale)
        {
            text.AppendLine("## Scale");
            text.AppendLine();
            text.AppendLine($"Simulator: {scale.Settings} (no latency, no faults: local work only). Start: from launching the simulator process to its first answer on /_simulator/stats. Listing: the Graph SDK in the benchmark process, from the subscribedSkus call to the last page. Eligibility: Test-E4UpgradeEligibility -TargetSku {E4Upgrade.Benchmark.Simulator.TenantSnapshot.TargetSku} alone, timed with Measure-Command inside a fresh pwsh (start-up, import and Connect-E4Upgrade excluded; that whole process took {scale.EligibilityProcessSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s). Load average (1 / 5 / 15 min) on {Environment.ProcessorCount} cores: {scale.LoadBefore} before, {scale.LoadAfter} after.");
            text.AppendLine();
            text.Append(ScaleTable(scale));
            text.AppendLine();
            var eligibility = scale.Eligibility;
            text.AppendLine(FormattableString.Invariant(
                $"Eligibility report: IsEligible {eligibility.IsEligible}, TotalE4Users {eligibility.TotalE4Users:N0} (direct {eligibility.DirectE4Users:N0}, through groups {eligibility.GroupE4Users:N0}, {eligibility.E4Groups} groups), {eligibility.BlockerCount} blockers, {eligibility.WarningCount} warnings{(eligibility.Findings.Count == 0 ? "" : ": " + string.Join("; ", eligibility.Findings))}. Peak memory of that pwsh: {eligibility.PeakMemoryKb / 1024.0:0} MB."));
            text.AppendLine();
        }

        if (report.Groups is { } groups)
        {
            text.Append(groups.Markdown());
            text.AppendLine();
        }

        foreach (var failure in report.Failures)
        {
            text.AppendLine($"Not measured: {failure}");
            text.AppendLine();
        }

        text.AppendLine("## How to read it");
        text.AppendLine();
        foreach (var note in report.Notes)
        {
            text.AppendLine($"- {note}");
        }

        return text.ToString();
    }
}

/// <summary>Everything one benchmark run produced.</summary>
public sealed class BenchmarkReport
{
    public required DateTime StartedUtc { get; init; }
    public required double TotalSeconds { get; init; }
    public required IReadOnlyList<Orchestration.ThroughputResult> Throughput { get; init; }
    public required MemoryCheck? Memory { get; init; }
    public required TargetCheck MemoryTarget { get; init; }
    public required ScaleCheck? Scale { get; init; }
    public GroupCheck? Groups { get; init; }

    /// <summary>Sections that could not be measured, each with the reason.</summary>
    public required IReadOnlyList<string> Failures { get; init; }
    public required IReadOnlyList<string> Notes { get; init; }
}
