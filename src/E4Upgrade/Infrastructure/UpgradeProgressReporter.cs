using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Diagnostics;
using System.Management.Automation;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Upgrade;

namespace E4Upgrade.Infrastructure
{
    /// <summary>
    /// Start-E4Upgrade's view of the run: a progress bar per phase, verbose and warning lines, per-user and per-group
    /// results (written when -PassThru or -WhatIf asks for them) and an error for every failure. Called on the
    /// engine's threads; everything is posted to the pipeline thread.
    /// </summary>
    internal sealed class UpgradeProgressReporter : IUpgradeReporter
    {
        private static readonly long MinTicksBetweenUpdates = Stopwatch.Frequency / 4;
        private readonly AsyncCmdletOutput output;
        private readonly bool writeResults;
        private readonly Stopwatch[] phaseClocks = new Stopwatch[Enum.GetValues(typeof(UpgradePhase)).Length];
        private readonly long[] lastUpdate = new long[Enum.GetValues(typeof(UpgradePhase)).Length];
        private readonly string[] activities = new string[Enum.GetValues(typeof(UpgradePhase)).Length];
        private readonly ConcurrentDictionary<string, long> failuresByReason = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        private string sourceSku = "";
        private string targetSku = "";

        public UpgradeProgressReporter(AsyncCmdletOutput output, bool writeResults)
        {
            this.output = output;
            this.writeResults = writeResults;
        }

        public void PhaseStarted(UpgradePhase phase, string activity, long? total)
        {
            var index = (int)phase;
            activities[index] = activity;
            phaseClocks[index] = Stopwatch.StartNew();
            output.Verbose($"{phase}: {activity}");
            output.Progress(new ProgressRecord(ActivityId(phase), activity, total.HasValue ? $"0 of {total.Value:N0}" : "Starting"));
        }

        public void PhaseProgress(UpgradePhase phase, long completed, long? total, string status)
        {
            var index = (int)phase;
            var now = Stopwatch.GetTimestamp();
            if (now - lastUpdate[index] < MinTicksBetweenUpdates)
            {
                return;
            }

            lastUpdate[index] = now;
            var record = new ProgressRecord(ActivityId(phase), activities[index] ?? phase.ToString(), string.IsNullOrEmpty(status) ? $"{completed:N0}" : status);
            var elapsed = phaseClocks[index]?.Elapsed.TotalSeconds ?? 0;
            if (total.HasValue && total.Value > 0)
            {
                record.PercentComplete = (int)Math.Min(100, completed * 100 / total.Value);
                if (completed > 0 && elapsed > 0)
                {
                    record.SecondsRemaining = (int)Math.Ceiling((total.Value - completed) * elapsed / completed);
                }
            }

            output.Progress(record);
        }

        public void PhaseCompleted(UpgradePhase phase, string summary)
        {
            output.Verbose($"{phase}: {summary}");
            output.Progress(new ProgressRecord(ActivityId(phase), activities[(int)phase] ?? phase.ToString(), summary) { RecordType = ProgressRecordType.Completed });
        }

        public void EligibilityChecked(EligibilityReport report)
        {
            // The runner itself sends every finding through Warning; only the SKU names are needed here.
            sourceSku = report.SourceSku;
            targetSku = report.TargetSku;
        }

        public void UserResult(MoveResult result)
        {
            var row = new Output.LicenseMoveResult(result, sourceSku, targetSku);
            if (writeResults)
            {
                output.Object(row);
            }

            // A failed user is not an error record of its own: under -ErrorAction Stop that would end the whole run at
            // the first user. The run goes on, and one UpgradeIncomplete error at the end carries the counts.
            if (result.Status == MoveStatus.Failed)
            {
                failuresByReason.AddOrUpdate(result.Reason ?? "Unknown", 1, (_, count) => count + 1);
                output.Verbose($"{result.UserPrincipalName}: {result.Status} {result.Reason}: {result.Message}");
            }
        }

        public void GroupResult(Engine.Upgrade.GroupSwapOutcome result)
        {
            var row = new Output.GroupUpgradeResult(result);
            // The runner warns about failed and timed-out groups itself.
            if (writeResults)
            {
                output.Object(row);
            }
        }

        /// <summary>
        /// A bar under the group phase's own: the group's members moved, with errors and pending, and how long the phase
        /// has waited of its timeout (a limit, not an estimate, so no SecondsRemaining). Not rate-limited like PhaseProgress: it comes once per member listing (-PollInterval).
        /// </summary>
        public void GroupMembersProgress(GroupMembersProgress progress)
        {
            var activity = $"Group {progress.Group}: Entra is processing its members";
            var record = new ProgressRecord(GroupMembersActivityId, activity, progress.ToString())
            {
                ParentActivityId = ActivityId(UpgradePhase.GroupAssignments),
                PercentComplete = progress.Members > 0 ? (int)Math.Min(100, progress.Done * 100L / progress.Members) : 0,
                RecordType = progress.Finished ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            output.Progress(record);
            output.Verbose(progress.ToString());
        }

        /// <summary>Failed users by reason, for the closing UpgradeIncomplete error, e.g. "UsageLocationMissing: 3".</summary>
        public string DescribeFailures() =>
            string.Join(", ", failuresByReason.OrderByDescending(pair => pair.Value).Select(pair => $"{pair.Key}: {pair.Value:N0}"));

        public void Verbose(string message) => output.Verbose(message);

        public void Warning(string message) => output.Warning(message);

        private const int GroupMembersActivityId = 30;

        private static int ActivityId(UpgradePhase phase) => 10 + (int)phase;
    }
}
