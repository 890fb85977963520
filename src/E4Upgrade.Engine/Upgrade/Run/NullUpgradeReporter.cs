using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>A reporter that drops everything.</summary>
    public sealed class NullUpgradeReporter : IUpgradeReporter
    {
        public void PhaseStarted(UpgradePhase phase, string activity, long? total) { }
        public void PhaseProgress(UpgradePhase phase, long completed, long? total, string status) { }
        public void PhaseCompleted(UpgradePhase phase, string summary) { }
        public void EligibilityChecked(EligibilityReport report) { }
        public void UserResult(MoveResult result) { }
        public void GroupResult(GroupSwapOutcome result) { }
        public void GroupMembersProgress(GroupMembersProgress progress) { }
        public void Verbose(string message) { }
        public void Warning(string message) { }
    }
}
