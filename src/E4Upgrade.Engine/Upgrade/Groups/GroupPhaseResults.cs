using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>The group phase's results: each group's final row (counted, warned about when it failed or timed out) and the phase's progress.</summary>
    internal sealed class GroupPhaseResults
    {
        private readonly IUpgradeReporter _reporter;
        private readonly UpgradeSummary _summary;
        private int _done;

        public GroupPhaseResults(IUpgradeReporter reporter, UpgradeSummary summary)
        {
            _reporter = reporter;
            _summary = summary;
        }

        /// <summary>The groups the phase reports: those listed with the source and those an earlier run left to verify.</summary>
        public int Total { get; set; }

        /// <summary>Counts and reports a group's final result, and the phase's progress.</summary>
        public void Finish(GroupSwapOutcome result, string label)
        {
            switch (result.Status)
            {
                case GroupUpgradeStatus.Swapped:
                case GroupUpgradeStatus.SwappedWithErrors:
                    _summary.GroupsSwapped++;
                    break;
                case GroupUpgradeStatus.Failed:
                    _summary.GroupsFailed++;
                    _reporter.Warning($"Group {result.DisplayName} ({result.GroupId}): {result.Message}");
                    break;
                case GroupUpgradeStatus.TimedOut:
                    _summary.GroupsTimedOut++;
                    _reporter.Warning($"Group {result.DisplayName} ({result.GroupId}): {result.Message}");
                    break;
            }

            _reporter.GroupResult(result);
            _reporter.PhaseProgress(UpgradePhase.GroupAssignments, ++_done, Total, label);
        }

        /// <summary>A group the preflight refused whole: its refused members' rows, and the group's Failed row (not yet finished).</summary>
        public GroupSwapOutcome Refused(GroupLicenses group, GroupSwapOutcome result, int members, GroupRefusal refusal)
        {
            foreach (var refused in refusal.Members)
            {
                _summary.GroupMembersFailed++;
                _reporter.UserResult(new MoveResult
                {
                    UserId = refused.Member.Id,
                    UserPrincipalName = refused.Member.UserPrincipalName,
                    Status = MoveStatus.Failed,
                    Reason = refused.Reason,
                    Message = refused.Message,
                    GroupId = group.Id,
                });
            }

            result.Status = GroupUpgradeStatus.Failed;
            result.Message = refusal.Message;
            result.Members = members;
            result.MembersFailed = refusal.Members.Count;
            return result;
        }
    }
}
