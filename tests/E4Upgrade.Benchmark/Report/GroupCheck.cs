using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace E4Upgrade.Benchmark.Report;

/// <summary>One tenant of the group section: Start-E4Upgrade with the swaps side by side, and one at a time.</summary>
public sealed class GroupRow
{
    public required int Groups { get; init; }
    public required int MembersPerGroup { get; init; }
    /// <summary>Start-E4Upgrade alone (Measure-Command in a fresh pwsh), swaps sent side by side (the default).</summary>
    public required double SideBySideSeconds { get; init; }
    /// <summary>The same with -GroupSwapsInFlight 1: the next swap only after the previous group is verified.</summary>
    public required double OneAtATimeSeconds { get; init; }
    public required int GroupsSwapped { get; init; }
    public required int MembersMoved { get; init; }
    public required int OneAtATimeGroupsSwapped { get; init; }
    public required int OneAtATimeMembersMoved { get; init; }
    public required long UsersEverUnlicensed { get; init; }
    public double Speedup => SideBySideSeconds > 0 ? OneAtATimeSeconds / SideBySideSeconds : 0;
}

/// <summary>Issue 18 item 2, measured: N licensing groups take about as long as the slowest, not the sum.</summary>
public sealed class GroupCheck
{
    public required string Settings { get; init; }
    public required IReadOnlyList<GroupRow> Rows { get; init; }

    public static string Table(IReadOnlyList<GroupRow> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| Groups | Members | Side by side (s) | One at a time (s) | One at a time / side by side | Groups swapped | Members moved | Ever unlicensed |");
        text.AppendLine("|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var row in rows)
        {
            text.AppendLine(FormattableString.Invariant(
                $"| {row.Groups} | {row.Groups * row.MembersPerGroup:N0} | {row.SideBySideSeconds:0.0} | {row.OneAtATimeSeconds:0.0} | {row.Speedup:0.0} | {row.GroupsSwapped} / {row.OneAtATimeGroupsSwapped} | {row.MembersMoved:N0} / {row.OneAtATimeMembersMoved:N0} | {row.UsersEverUnlicensed} |"));
        }

        return text.ToString();
    }

    public string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine("## Groups");
        text.AppendLine();
        text.AppendLine($"Simulator: {Settings}. Every E4 holder is licensed through a group; Start-E4Upgrade -TargetSku SPE_E5 alone, timed with Measure-Command in a fresh pwsh, once with the swaps side by side (the default -GroupSwapsInFlight) and once with -GroupSwapsInFlight 1 (each swap waits for the group before it), on the same starting tenant (reset in between). Swapped and moved: side by side / one at a time.");
        text.AppendLine();
        text.Append(Table(Rows));
        return text.ToString();
    }
}
