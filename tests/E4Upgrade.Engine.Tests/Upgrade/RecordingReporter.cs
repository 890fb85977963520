using System.Collections.Concurrent;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Upgrade;

namespace E4Upgrade.Engine.Tests.Upgrade;

internal sealed class RecordingReporter : IUpgradeReporter
{
    public ConcurrentQueue<UpgradePhase> Started { get; } = new();
    public ConcurrentQueue<UpgradePhase> Completed { get; } = new();
    public ConcurrentQueue<MoveResult> Users { get; } = new();
    public ConcurrentQueue<GroupSwapOutcome> Groups { get; } = new();
    public ConcurrentQueue<string> Warnings { get; } = new();
    public ConcurrentQueue<string> VerboseLines { get; } = new();
    public ConcurrentQueue<EligibilityReport> Reports { get; } = new();
    public ConcurrentQueue<GroupMembersProgress> MemberProgress { get; } = new();
    public int ProgressCalls;

    public void PhaseStarted(UpgradePhase phase, string activity, long? total) => Started.Enqueue(phase);
    public void PhaseProgress(UpgradePhase phase, long completed, long? total, string status) => Interlocked.Increment(ref ProgressCalls);
    public void PhaseCompleted(UpgradePhase phase, string summary) => Completed.Enqueue(phase);
    public void EligibilityChecked(EligibilityReport report) => Reports.Enqueue(report);
    public void UserResult(MoveResult result) => Users.Enqueue(result);
    public void GroupResult(GroupSwapOutcome result) => Groups.Enqueue(result);
    public void GroupMembersProgress(GroupMembersProgress progress) => MemberProgress.Enqueue(progress);
    public void Verbose(string message) => VerboseLines.Enqueue(message);
    public void Warning(string message) => Warnings.Enqueue(message);
}
