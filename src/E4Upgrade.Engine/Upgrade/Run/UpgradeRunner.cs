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
        private readonly DateTimeOffset _wallAtClockZero;
        private readonly PlanDependencies _dependencies = new PlanDependencies();

        /// <param name="engineSettings">Tuning for the move engine; its Observer, if any, is called after the journal.</param>
        /// <param name="clock">Time for every phase (waits, timeouts, the duration); the engine's clock, else the real one.</param>
        public UpgradeRunner(ILicensingGateway gateway, MoveEngineSettings? engineSettings = null, IClock? clock = null)
        {
            _gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
            _clock = clock ?? engineSettings?.Clock ?? new SystemClock();
            _engineSettings = (engineSettings ?? new MoveEngineSettings()).WithClock(_clock);
            // The one reading of the wall clock: every later time of day is this origin plus the engine's clock, so a
            // clock a test advances moves the token's expiry and the next run's time with it.
            _wallAtClockZero = DateTimeOffset.UtcNow - _clock.Now;
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
            var callerToken = cancellationToken;
            using var deadline = options.PlanOnly
                ? new RunDeadline(_clock, null, null, callerToken)
                : new RunDeadline(_clock, options.MaxRunDuration, TokenValidFor(options), callerToken);
            cancellationToken = deadline.Token;
            var summary = new UpgradeSummary { Started = WallNow, PlanOnly = options.PlanOnly, TargetSku = options.TargetSku };

            var (plan, report) = await CheckEligibilityAsync(options, reporter, summary, cancellationToken).ConfigureAwait(false);
            var source = plan.Source;
            var compound = plan.Target;
            summary.ExpectedDuration = report.ExpectedDuration;
            summary.GroupProcessingEstimate = report.GroupProcessingEstimate;
            summary.DurationEstimate = report.DurationEstimate;
            summary.SourceSku = source.SkuPartNumber;
            summary.TargetSku = compound.PartNumbers;
            var path = plan.JournalPath!;

            // Plan mode writes nothing, not even the journal; it reads one of the same run to leave out finished users.
            using var journal = options.PlanOnly ? null : UpgradeJournal.Open(plan.JournalStore!, plan.Header!);
            var prior = journal?.Prior ?? plan.Prior;
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

            RestoreLearntRules(prior, source, compound, options, path, reporter);
            Action<LearntDependency>? keep = journal == null ? null : journal.WriteDependencyLearnt;
            _dependencies.Learnt += keep;
            var inGroupPhase = false;
            try
            {
                WarnIfTokenEndsFirst(options, report, reporter);
                deadline.Check();
                cancellationToken.ThrowIfCancellationRequested();
                var direct = new DirectMovePhase(_gateway, _engineSettings.WithClock(deadline), options, reporter, journal, prior, plan.Moves!, summary);
                await direct.RunAsync(Math.Max(0, report.DirectE4Users), cancellationToken).ConfigureAwait(false);

                deadline.Check();
                cancellationToken.ThrowIfCancellationRequested();
                inGroupPhase = true;
                var groups = new GroupSwapPhase(_gateway, deadline, options, reporter, journal, source, compound, plan.Mapper!, summary, _engineSettings.ReplicationLag);
                await groups.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.Reason != RunStopReason.None && !callerToken.IsCancellationRequested)
            {
                // Stopped on purpose, the way Ctrl-C stops: the journal holds every write sent, so the same command continues.
                summary.Duration = _clock.Now - startedAt;
                return Stopped(deadline.Reason, options, summary, reporter, inGroupPhase);
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

        /// <summary>
        /// Rules an earlier run learnt from Graph are known in advance; those learnt now are kept for the next run. Only
        /// rules the journal this run holds (read under its lock) states and that fit the target are applied; one that
        /// would switch off a core service only when its finding was accepted (eligibility refused the run otherwise).
        /// </summary>
        private void RestoreLearntRules(JournalState prior, SkuInfo source, CompoundTarget target, UpgradeOptions options, string path, IUpgradeReporter reporter)
        {
            var review = LearntRuleReview.Of(prior.LearntDependencies, source, target);
            var accepted = (options.AcceptedFindings ?? Array.Empty<string>()).Contains(FindingCodes.LearntRuleDisablesCoreService, StringComparer.OrdinalIgnoreCase);
            if (review.CoreService.Count > 0 && !accepted && !options.PlanOnly)
            {
                // The journal changed between the plan's read and the run's locked read: refused as eligibility would.
                var finding = review.Finding(path)!;
                throw new E4UpgradeException(ErrorIds.NotEligible, ErrorCategoryNames.InvalidOperation,
                    $"The upgrade cannot start: [{finding.Code}] {finding.Message}");
            }

            foreach (var ignored in review.Ignored)
            {
                reporter.Warning($"The journal holds a plan dependency that does not fit {target.PartNumbers}; it is not applied: {ignored}.");
            }

            foreach (var rule in review.ToApply(accepted))
            {
                _dependencies.Restore(rule);
            }
        }

        /// <summary>The time of day by the engine's clock.</summary>
        private DateTimeOffset WallNow => _wallAtClockZero + _clock.Now;

        private TimeSpan? TokenValidFor(UpgradeOptions options) =>
            options.TokenExpiresOn.HasValue ? options.TokenExpiresOn.Value - WallNow : (TimeSpan?)null;

        private void WarnIfTokenEndsFirst(UpgradeOptions options, EligibilityReport report, IUpgradeReporter reporter)
        {
            var left = TokenValidFor(options);
            var needed = report.ExpectedDuration + report.GroupProcessingEstimate;
            if (options.PlanOnly || !left.HasValue || left.Value - RunDeadline.TokenExpiryMargin >= needed)
            {
                return;
            }

            reporter.Warning($"The access token expires at {options.TokenExpiresOn!.Value.ToUniversalTime():u}, before the estimated end of this run ({report.DurationEstimate}). "
                + $"It cannot be refreshed: the run stops with TokenExpired {RunDeadline.TokenExpiryMargin.TotalMinutes:0} minutes before then; connect with a new token and run the same command to continue, "
                + "or connect with a certificate or a managed identity, whose tokens are renewed.");
        }

        /// <summary>A run stopped by its deadline: a summary that continues (-MaxRunDuration), or TokenExpired.</summary>
        private UpgradeSummary Stopped(RunStopReason reason, UpgradeOptions options, UpgradeSummary summary, IUpgradeReporter reporter, bool inGroupPhase)
        {
            if (reason == RunStopReason.TokenExpiry)
            {
                throw new E4UpgradeException(ErrorIds.TokenExpired, ErrorCategoryNames.AuthenticationError,
                    $"The access token expires at {options.TokenExpiresOn!.Value.ToUniversalTime():u}; the run stopped before a write could be refused, with every write sent answered and journaled. "
                    + $"Connect with a new token and run the same command: it continues from the journal. Journal: {summary.JournalPath}");
            }

            // Direct users left over go at once; a group Entra is still processing is worth checking after a poll interval.
            summary.Continues = true;
            summary.NextRunAfter = WallNow + (inGroupPhase ? options.GroupPollInterval : TimeSpan.Zero);
            reporter.PhaseCompleted(UpgradePhase.Completion,
                $"Stopped at -MaxRunDuration ({options.MaxRunDuration}) after {summary.Duration:hh\\:mm\\:ss} in the {(inGroupPhase ? "group" : "direct")} phase: {summary.Moved} moved, {summary.LeftForNextRun} users left for the next run; "
                + $"a group sent and not yet verified is checked by the next run. The work continues: run the same command again from {summary.NextRunAfter.Value:u}.");
            return summary;
        }

        private async Task<(UpgradePlan Plan, EligibilityReport Report)> CheckEligibilityAsync(UpgradeOptions options, IUpgradeReporter reporter, UpgradeSummary summary, CancellationToken cancellationToken)
        {
            var checker = new EligibilityChecker(_gateway, _dependencies);
            var request = new EligibilityRequest { TargetSkus = options.TargetSkus, SourceSku = options.SourceSku, UsageLocation = options.UsageLocation, TokenPermissions = options.TokenPermissions };
            reporter.PhaseStarted(UpgradePhase.Eligibility, $"Checking eligibility for {options.TargetSku}", null);
            var plan = await UpgradePlan.ReadAsync(_gateway, options, _dependencies, summary.Started, _clock, cancellationToken).ConfigureAwait(false);
            var report = await checker.CheckAsync(plan.Skus, plan.Mapper, plan.Findings, request, cancellationToken).ConfigureAwait(false);
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
                // The tenant changed while waiting (the target appeared or got seats): the plan is made again from a new read.
                plan = await UpgradePlan.ReadAsync(_gateway, options, _dependencies, summary.Started, _clock, cancellationToken).ConfigureAwait(false);
                report = await checker.CheckAsync(plan.Skus, plan.Mapper, plan.Findings, request, cancellationToken).ConfigureAwait(false);
                reporter.EligibilityChecked(report);
                blockers = Blockers(report, accepted);
            }

            // Without a source or a usable target there is nothing to plan, whatever was accepted.
            var fatal = !plan.Skus.Usable || blockers.Any(b => UpgradeSkus.IsFatal(b.Code));
            if (!plan.Skus.Usable)
            {
                blockers = report.Findings.Where(f => UpgradeSkus.IsFatal(f.Code)).Concat(blockers).Distinct().ToList();
            }

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
            return (plan, report);
        }

        private static List<EligibilityFinding> Blockers(EligibilityReport report, HashSet<string> accepted) =>
            report.Findings.Where(f => f.Severity == FindingSeverity.Blocker && !accepted.Contains(f.Code)).ToList();

        private static string Describe(UpgradeSummary s) =>
            s.PlanOnly
                ? $"Plan: {s.WouldMove} direct users and {s.GroupMembersWouldMove} group members in {s.Groups} groups would move {s.SourceSku} -> {s.TargetSku}; nothing was changed. Expected duration: {s.DurationEstimate}."
                : $"{s.Moved} moved, {s.AlreadyMoved} already moved, {s.Skipped} skipped, {s.Failed} failed; groups: {s.GroupsSwapped} swapped, {s.GroupsFailed} failed, {s.GroupsTimedOut} still processing; {s.Throttled} writes throttled; {s.Duration:hh\\:mm\\:ss}.";
    }
}
