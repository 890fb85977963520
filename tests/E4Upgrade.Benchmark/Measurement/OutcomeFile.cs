using System;
using System.Collections.Generic;
using System.IO;

namespace E4Upgrade.Benchmark.Measurement;

/// <summary>
/// One line per user a strategy reported: "userId TAB userPrincipalName TAB status TAB reason". Written as results
/// arrive (nothing held in memory), read back by the scorer. Status is the cmdlet's: Moved, AlreadyMoved, Skipped, Failed.
/// </summary>
public static class OutcomeFile
{
    public const string Moved = "Moved";
    public const string Failed = "Failed";

    public static string Line(string userId, string userPrincipalName, string status, string? reason) =>
        $"{userId}\t{userPrincipalName}\t{status}\t{reason}";

    /// <summary>The outcomes as written; none when the file was never made (a strategy stopped before its first result).</summary>
    public static IEnumerable<ReportedOutcome> Read(string path)
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split('\t');
            yield return new ReportedOutcome(fields[0], fields.Length > 1 ? fields[1] : "", fields.Length > 2 ? fields[2] : "", fields.Length > 3 ? fields[3] : "");
        }
    }
}

public sealed record ReportedOutcome(string UserId, string UserPrincipalName, string Status, string Reason)
{
    /// <summary>The strategy owned up to not moving this user (so the admin knows to act on them).</summary>
    public bool ReportsNotMoved => ReportsFailed || Status.Equals("Skipped", StringComparison.OrdinalIgnoreCase);

    public bool ReportsFailed => Status.Equals("Failed", StringComparison.OrdinalIgnoreCase);
}
