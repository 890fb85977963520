using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// What the runner tells its host (the cmdlet) while it works. Calls come one at a time from the runner's async
    /// flow (never concurrently), but not on the caller's thread: a cmdlet queues them for its pipeline thread.
    /// </summary>
    public interface IUpgradeReporter
    {
        void PhaseStarted(UpgradePhase phase, string activity, long? total);
        void PhaseProgress(UpgradePhase phase, long completed, long? total, string status);
        void PhaseCompleted(UpgradePhase phase, string summary);
        void EligibilityChecked(EligibilityReport report);
        /// <summary>Every final per-user result, direct and group member (plan mode: WouldMove). For -PassThru.</summary>
        void UserResult(MoveResult result);
        void GroupResult(GroupSwapOutcome result);
        /// <summary>A group's members done and pending, after each listing while the phase waits for Entra.</summary>
        void GroupMembersProgress(GroupMembersProgress progress);
        void Verbose(string message);
        void Warning(string message);
    }
}
