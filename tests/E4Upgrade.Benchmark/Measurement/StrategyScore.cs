using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Benchmark.Simulator;

namespace E4Upgrade.Benchmark.Measurement;

/// <summary>
/// A strategy's own reports checked against the tenant afterwards. Moved: the user holds the target and not the
/// source (direct assignments). Lost: not moved, yet the strategy did not report the user Failed or Skipped
/// (no result at all, or a result claiming success) - the admin would never learn to act on that user.
/// FailedButOnTarget: reported Failed although the tenant shows the user holding the target (a false failure: the
/// admin would act on a user who needs nothing, and a second write could follow).
/// </summary>
public sealed record StrategyScore(int Users, int Moved, int ReportedNotMoved, int Lost, int MissingResults, int FalselyReportedMoved, int FailedButOnTarget)
{
    public static StrategyScore Compute(IReadOnlyList<TenantUser> input, TenantSnapshot after, IEnumerable<ReportedOutcome> outcomes)
    {
        var byId = new Dictionary<string, ReportedOutcome>(StringComparer.OrdinalIgnoreCase);
        var byUpn = new Dictionary<string, ReportedOutcome>(StringComparer.OrdinalIgnoreCase);
        foreach (var outcome in outcomes)
        {
            if (outcome.UserId.Length > 0)
            {
                byId[outcome.UserId] = outcome;
            }

            if (outcome.UserPrincipalName.Length > 0)
            {
                byUpn[outcome.UserPrincipalName] = outcome;
            }
        }

        var now = after.Users.ToDictionary(u => u.Id);
        int moved = 0, reportedNotMoved = 0, lost = 0, missing = 0, falselyMoved = 0, failedButOnTarget = 0;
        foreach (var user in input)
        {
            var state = now[user.Id];
            var isMoved = state.DirectSkus.Contains(after.TargetSkuId) && !state.DirectSkus.Contains(after.SourceSkuId);
            var reported = byId.TryGetValue(user.Id.ToString(), out var r) ? r : byUpn.TryGetValue(user.UserPrincipalName, out r) ? r : null;
            if (reported is null)
            {
                missing++;
            }

            if (reported is { ReportsFailed: true } && state.DirectSkus.Contains(after.TargetSkuId))
            {
                failedButOnTarget++;
            }

            if (isMoved)
            {
                moved++;
            }
            else if (reported is { ReportsNotMoved: true })
            {
                reportedNotMoved++;
            }
            else
            {
                lost++;
                if (reported is not null)
                {
                    falselyMoved++;
                }
            }
        }

        return new StrategyScore(input.Count, moved, reportedNotMoved, lost, missing, falselyMoved, failedButOnTarget);
    }
}
