using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Pacing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// Start-E4Upgrade: eligibility, optional wait for the target, direct assignments through the move engine,
    /// group-based assignments at the group, summary. Every decision is journaled as it is made, so running the same
    /// options again after a crash, kill or Ctrl-C continues where the last run stopped.
    /// </summary>
    public sealed class UpgradeRunner
    {
        private readonly ILicensingGateway _gateway;
        private readonly MoveEngineSettings _engineSettings;
        private readonly IClock _clock;
        private readonly PlanDependencies _dependencies = new PlanDependencies();

        /// <param name="engineSettings">Tuning for the move engine; its Observer, if any, is called after the journal.</param>
        /// <param name="clock">Time for every phase (waits, timeouts, the duration); the engine's clock, else the real one.</param>
        public UpgradeRunner(ILicensingGateway gateway, MoveEngineSettings? engineSettings = null, IClock? clock = null)
        {
            _gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
            _clock = clock ?? engineSettings?.Clock ?? new SystemClock();
            _engineSettings = (engineSettings ?? new MoveEngineSettings()).WithClock(_clock);
        }

        /// <summary>
        /// Runs the upgrade (or with PlanOnly, reports the plan and writes nothing). Throws E4UpgradeException NotEligible
        /// (blockers not accepted), TargetNotReady (wait timed out), JournalMismatch/JournalCorrupt, TokenExpired/AccessDenied
        /// (from the engine, after journaling what was done); OperationCanceledException on cancellation (journal intact).
        /// </summary>
        public async Task<UpgradeSummary> RunAsync(UpgradeOptions options, IUpgradeReporter? reporter, CancellationToken cancellationToken)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (options.TargetSkus.All(string.IsNullOrWhiteSpace))
            {
                throw new E4UpgradeException(ErrorIds.SkuNotFound, ErrorCategoryNames.InvalidArgument, "A target SKU is required (e.g. ENTERPRISEPREMIUM or SPE_E5).");
            }

            reporter ??= new NullUpgradeReporter();
            var startedAt = _clock.Now;
            var summary = new UpgradeSummary { Started = DateTimeOffset.UtcNow, PlanOnly = options.PlanOnly, TargetSku = options.TargetSku };

            var report = await CheckEligibilityAsync(options, reporter, summary, cancellationToken).ConfigureAwait(false);

            var skus = await _gateway.GetSubscribedSkusAsync(cancellationToken).ConfigureAwait(false);
            var source = SkuSelection.SelectSource(skus, options.SourceSku)!;
            var compound = new SkuResolver(skus).ResolveTarget(options.TargetSkus);
            var target = compound.Suite;
            summary.ExpectedDuration = report.ExpectedDuration;
            summary.GroupProcessingEstimate = report.GroupProcessingEstimate;
            summary.DurationEstimate = report.DurationEstimate;
            summary.SourceSku = source.SkuPartNumber;
            summary.TargetSku = compound.PartNumbers;
            var mapper = new CompoundPlanMapper(source, compound, _dependencies);
            if (options.DisabledPlans != null)
            {
                mapper.Override(options.DisabledPlans); // an invalid plan name stops the run here, before any write
            }

            // Named after the suite only: a run with other add-ons finds this journal and is refused (CompoundTargetChanged).
            var path = Path.GetFullPath(options.JournalPath ?? UpgradeJournal.DefaultPath(options.TenantId, source.SkuPartNumber, target.SkuPartNumber));
            var header = new JournalHeader
            {
                TenantId = options.TenantId,
                SourceSku = source.SkuPartNumber,
                SourceSkuId = source.SkuId,
                TargetSku = compound.PartNumbers,
                TargetSkuId = target.SkuId,
                TargetAddOnSkuIds = compound.AddOns.Select(a => a.SkuId).ToList(),
                OptionsHash = UpgradeJournal.HashOptions(
                    options.DisabledPlans == null ? null : string.Join(",", options.DisabledPlans.OrderBy(p => p, StringComparer.OrdinalIgnoreCase)),
                    options.UsageLocation?.ToUpperInvariant()),
                Started = summary.Started,
                // As given (-AcceptFinding): a warning accepted changes the run too (GroupMemberConflicts swaps such groups).
                AcceptedFindings = (options.AcceptedFindings ?? Array.Empty<string>()).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
                RanBy = Environment.UserName + " on " + Environment.MachineName,
            };

            // Plan mode writes nothing, not even the journal; it reads one of the same run to leave out finished users.
            using var journal = options.PlanOnly ? null : UpgradeJournal.Open(path, header);
            var prior = journal?.Prior ?? PriorForPlan(path, header);
            summary.JournalPath = options.PlanOnly ? null : path;
            summary.RunId = journal?.RunId;
            summary.Resumed = journal?.Resumed ?? false;
            summary.DoneEarlier = prior.DoneUsers;
            if (journal != null)
            {
                reporter.Verbose(journal.Resumed
                    ? $"Continuing the journal {path}: {prior.DoneUsers} users finished earlier, {prior.UsersToRecheck.Count} to re-check."
                    : $"Journal: {path}");
                if (journal.OptionsChanged)
                {
                    reporter.Warning("The journal was started with other -DisabledPlans or -UsageLocation; users still to move get the new options.");
                }
            }

            // Rules an earlier run learnt from Graph are known in advance; those learnt now are kept for the next run.
            foreach (var rule in prior.LearntDependencies)
            {
                _dependencies.Restore(rule);
            }

            Action<LearntDependency>? keep = journal == null ? null : journal.WriteDependencyLearnt;
            _dependencies.Learnt += keep;
            try
            {
                var direct = new DirectMovePhase(_gateway, _engineSettings, options, reporter, journal, prior, source, compound, _dependencies, summary);
                await direct.RunAsync(Math.Max(0, report.DirectE4Users), cancellationToken).ConfigureAwait(false);

                var groups = new GroupSwapPhase(_gateway, _clock, options, reporter, journal, source, compound, mapper, summary, _engineSettings.ReplicationLag);
                await groups.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _dependencies.Learnt -= keep;
            }

            summary.Duration = _clock.Now - startedAt;
            journal?.WriteCompleted(summary);
            reporter.PhaseCompleted(UpgradePhase.Completion, Describe(summary));
            return summary;
        }

        private async Task<EligibilityReport> CheckEligibilityAsync(UpgradeOptions options, IUpgradeReporter reporter, UpgradeSummary summary, CancellationToken cancellationToken)
        {
            var checker = new EligibilityChecker(_gateway, _dependencies);
            var request = new EligibilityRequest { TargetSkus = options.TargetSkus, SourceSku = options.SourceSku, UsageLocation = options.UsageLocation };
            reporter.PhaseStarted(UpgradePhase.Eligibility, $"Checking eligibility for {options.TargetSku}", null);
            var report = await checker.CheckAsync(request, cancellationToken).ConfigureAwait(false);
            reporter.EligibilityChecked(report);

            var accepted = new HashSet<string>(options.AcceptedFindings ?? Array.Empty<string>(), StringComparer.OrdinalIgnoreCase);
            var blockers = Blockers(report, accepted);
            if (blockers.Count > 0 && options.WaitForTarget && blockers.All(b => FindingCodes.TargetReadiness.Contains(b.Code)))
            {
                reporter.PhaseCompleted(UpgradePhase.Eligibility, $"Waiting for the target: {string.Join(", ", blockers.Select(b => b.Code))}.");
                var seats = report.TargetSeats.Count > 0
                    ? report.TargetSeats.Select(t => (t.Sku, t.Needed)).ToList()
                    : options.TargetSkus.Select(t => (t, report.UsersNeedingTargetSeat)).ToList();
                await new TargetReadinessWaiter(_gateway, _clock, reporter).WaitAsync(seats,
                    checkSeats: !accepted.Contains(FindingCodes.InsufficientTargetSeats),
                    options.TargetWaitTimeout, options.TargetPollInterval, cancellationToken).ConfigureAwait(false);
                report = await checker.CheckAsync(request, cancellationToken).ConfigureAwait(false);
                reporter.EligibilityChecked(report);
                blockers = Blockers(report, accepted);
            }

            // Without a source or a distinct target there is nothing to plan either.
            var fatal = blockers.Any(b => b.Code == FindingCodes.NoE4Subscription || b.Code == FindingCodes.TargetNotFound || b.Code == FindingCodes.TargetSameAsSource);
            if (blockers.Count > 0 && (!options.PlanOnly || fatal))
            {
                throw new E4UpgradeException(ErrorIds.NotEligible, ErrorCategoryNames.InvalidOperation,
                    "The upgrade cannot start: " + string.Join(" ", blockers.Select(b => $"[{b.Code}] {b.Message}")) +
                    (fatal ? "" : " Fix these, or accept them explicitly (-AcceptFinding " + string.Join(",", blockers.Select(b => b.Code)) + ") if you know the run can handle them."));
            }

            foreach (var finding in report.Findings)
            {
                if (finding.Severity == FindingSeverity.Blocker)
                {
                    reporter.Warning(accepted.Contains(finding.Code)
                        ? $"[{finding.Code}] accepted: {finding.Message}"
                        : $"[{finding.Code}] the real run refuses to start on this: {finding.Message}");
                }
                else
                {
                    reporter.Warning($"[{finding.Code}] {finding.Message}");
                }
            }

            summary.AcceptedFindings = report.Findings.Where(f => f.Severity == FindingSeverity.Blocker && accepted.Contains(f.Code)).Select(f => f.Code).ToList();
            reporter.PhaseCompleted(UpgradePhase.Eligibility,
                $"{report.DirectE4Users} direct and {report.GroupE4Users} group-licensed {SourceSkuName.Of(report.SourceSku)} users in {report.E4Groups} groups; {report.BlockerCount} blockers, {report.WarningCount} warnings.");
            return report;
        }

        private static List<EligibilityFinding> Blockers(EligibilityReport report, HashSet<string> accepted) =>
            report.Findings.Where(f => f.Severity == FindingSeverity.Blocker && !accepted.Contains(f.Code)).ToList();

        private static JournalState PriorForPlan(string path, JournalHeader header)
        {
            var state = JournalState.Read(path);
            return state.Header != null && state.Header.SourceSkuId == header.SourceSkuId && state.Header.TargetSkuId == header.TargetSkuId
                && new HashSet<Guid>(state.Header.TargetAddOnSkuIds).SetEquals(header.TargetAddOnSkuIds)
                ? state
                : new JournalState();
        }

        private static string Describe(UpgradeSummary s) =>
            s.PlanOnly
                ? $"Plan: {s.WouldMove} direct users and {s.GroupMembersWouldMove} group members in {s.Groups} groups would move {s.SourceSku} -> {s.TargetSku}; nothing was changed. Expected duration: {s.DurationEstimate}."
                : $"{s.Moved} moved, {s.AlreadyMoved} already moved, {s.Skipped} skipped, {s.Failed} failed; groups: {s.GroupsSwapped} swapped, {s.GroupsFailed} failed, {s.GroupsTimedOut} still processing; {s.Throttled} writes throttled; {s.Duration:hh\\:mm\\:ss}.";
    }
}
