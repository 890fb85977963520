using System;
using System.Management.Automation;
using E4Upgrade.Engine;
using E4Upgrade.Engine.Upgrade;
using E4Upgrade.Infrastructure;
using E4Upgrade.Output;

namespace E4Upgrade.Cmdlets
{
    /// <summary>
    /// The whole upgrade: eligibility, optional wait for the target, direct assignments, group assignments, summary.
    /// Journaled, so running the same command again continues where a stopped run left off.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "E4Upgrade", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType("E4Upgrade.Engine.Upgrade.UpgradeSummary")]
    [OutputType(typeof(LicenseMoveResult), typeof(Output.GroupUpgradeResult))]
    public sealed class StartE4UpgradeCommand : AsyncCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SkuArgumentCompleter))]
        public string[] TargetSku { get; set; } = Array.Empty<string>();

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SkuArgumentCompleter))]
        public string? SourceSku { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? JournalPath { get; set; }

        [Parameter]
        [ValidateNotNull]
        [Alias("AcceptFindings")]
        public string[] AcceptFinding { get; set; } = Array.Empty<string>();

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? UsageLocation { get; set; }

        [Parameter]
        [ValidateNotNull]
        public string[]? DisabledPlans { get; set; }

        [Parameter]
        public SwitchParameter RemoveRedundantAddOns { get; set; }

        [Parameter]
        public SwitchParameter WaitForTarget { get; set; }

        [Parameter]
        public TimeSpan TargetWaitTimeout { get; set; } = TimeSpan.FromMinutes(30);

        /// <summary>Not given: the engine's default per group (GroupProcessingBound), from the group's member count.</summary>
        [Parameter]
        [ValidateRange("00:00:00", "30.00:00:00")]
        public TimeSpan? GroupProcessingTimeout { get; set; }

        /// <summary>Not given: the engine's default (UpgradeOptions.GroupSwapsInFlight).</summary>
        [Parameter]
        [ValidateRange(1, 100)]
        public int? GroupSwapsInFlight { get; set; }

        [Parameter]
        [ValidateRange("00:00:00.050", "01:00:00")]
        public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Not given: no limit. An Azure Automation cloud job is stopped at 3 hours: give it less.</summary>
        [Parameter]
        [ValidateRange("00:00:01", "30.00:00:00")]
        public TimeSpan? MaxRunDuration { get; set; }

        protected override void EndProcessing()
        {
            string? journalPath = null;
            try
            {
                journalPath = JournalPath == null ? null : JournalPathResolver.Resolve(this, JournalPath);
            }
            catch (E4UpgradeException ex)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, JournalStores.Describe(JournalPath)));
            }

            var session = ModuleSession.Require(this);
            var source = SourceSku ?? "Office 365 E4";
            var target = string.Join(" + ", TargetSku);
            var confirmed = ShouldProcess(
                $"Performing the operation \"Replace {source} with {target} on every user and group\" on target \"the tenant\".",
                $"Replace {source} with {target} on every user and group of the tenant?",
                "Confirm",
                out var reason);
            var planOnly = !confirmed && reason == ShouldProcessReason.WhatIf;
            if (!confirmed && !planOnly)
            {
                return;
            }

            var options = new UpgradeOptions
            {
                TargetSkus = TargetSku,
                SourceSku = SourceSku,
                TenantId = session.Graph.DirectoryTenantId,
                JournalPath = journalPath,
                JournalAccess = JournalAccess.Of(session.Graph),
                AcceptedFindings = AcceptFinding,
                DisabledPlans = DisabledPlans,
                UsageLocation = UsageLocation?.ToUpperInvariant(),
                RemoveRedundantAddOns = RemoveRedundantAddOns.IsPresent,
                WaitForTarget = WaitForTarget.IsPresent,
                TargetWaitTimeout = TargetWaitTimeout,
                TargetPollInterval = PollInterval,
                GroupProcessingTimeout = GroupProcessingTimeout,
                GroupPollInterval = PollInterval,
                PlanOnly = planOnly,
                MaxRunDuration = MaxRunDuration,
                TokenExpiresOn = session.Graph.AccessTokenExpiresOn,
            };
            if (GroupSwapsInFlight.HasValue)
            {
                options.GroupSwapsInFlight = GroupSwapsInFlight.Value;
            }

            var runner = new UpgradeRunner(session.Gateway);
            var reporter = new UpgradeProgressReporter(Output, writeResults: PassThru.IsPresent || planOnly);
            UpgradeSummary? summary = null;
            Run(async ct =>
            {
                options.TokenPermissions = await session.Graph.ReadTokenPermissionsAsync(ct).ConfigureAwait(false);
                summary = await runner.RunAsync(options, reporter, ct).ConfigureAwait(false);
            });
            if (summary == null)
            {
                return;
            }

            WriteObject(summary);
            if (summary.Continues)
            {
                WriteWarning($"The run stopped at -MaxRunDuration; the work continues. Run the same command again from {summary.NextRunAfter:u}: it continues from the journal {summary.JournalPath}.");
                return;
            }

            if (!summary.PlanOnly && !summary.Succeeded)
            {
                var reasons = reporter.DescribeFailures();
                WriteError(ErrorRecords.Create(ErrorIds.UpgradeIncomplete, ErrorCategory.InvalidResult,
                    $"The upgrade finished with {summary.Failed:N0} failed users{(reasons.Length > 0 ? " (" + reasons + ")" : string.Empty)}, {summary.GroupsFailed + summary.GroupsTimedOut} groups not done and {summary.GroupMembersFailed + summary.GroupMembersPending:N0} group members not done. -PassThru or -Verbose shows each user; fix the causes and run the same command again: finished users are not redone. Journal: {summary.JournalPath}",
                    summary));
            }
        }
    }
}
