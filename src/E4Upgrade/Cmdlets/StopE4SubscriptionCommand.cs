using System.Management.Automation;
using E4Upgrade.Engine;
using E4Upgrade.Engine.Reporting;
using E4Upgrade.Engine.Upgrade;
using E4Upgrade.Infrastructure;

namespace E4Upgrade.Cmdlets
{
    /// <summary>
    /// Verifies the source (E4 by default) is no longer used, with -RemoveFromUsersWithTarget clears leftover
    /// assignments of it from users who already hold the target, and says what the admin must still do: there is no
    /// public API to cancel the subscription itself. -Force means what it means elsewhere: do not ask.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "E4Subscription", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType("E4Upgrade.Engine.Upgrade.SubscriptionClosureState")]
    public sealed class StopE4SubscriptionCommand : AsyncCmdlet
    {
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SkuArgumentCompleter))]
        public string[]? TargetSku { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SkuArgumentCompleter))]
        public string? SourceSku { get; set; }

        [Parameter]
        public SwitchParameter RemoveFromUsersWithTarget { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The run's journal, which says which add-ons it removed (FreedAddOns); else the default journal of -TargetSku, if there is one.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? JournalPath { get; set; }

        protected override void EndProcessing()
        {
            var session = ModuleSession.Require(this);
            System.Collections.Generic.IReadOnlyCollection<string>? removedAddOns;
            try
            {
                removedAddOns = RemovedAddOns(session);
            }
            catch (E4UpgradeException ex)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, JournalPath));
                return;
            }

            var remove = RemoveFromUsersWithTarget.IsPresent && ConfirmRemoval();
            var closer = new SubscriptionCloser(session.Gateway);
            var options = new SubscriptionClosureOptions { SourceSku = SourceSku, TargetSkus = TargetSku ?? System.Array.Empty<string>(), Force = remove, RemovedAddOns = removedAddOns };
            Run(async ct => Output.Object(await closer.CloseAsync(options, ct).ConfigureAwait(false)));
        }

        /// <summary>
        /// The add-ons the run removed, from -JournalPath, or from the default journal of -TargetSku when exactly one is
        /// found; null when there is no journal to ask (then no add-on is listed as freed).
        /// </summary>
        private System.Collections.Generic.IReadOnlyCollection<string>? RemovedAddOns(ConnectedSession session)
        {
            if (JournalPath != null)
            {
                return JournalReportReader.Read(JournalPathResolver.Resolve(this, JournalPath)).Undo.RemovedAddOns;
            }

            if (TargetSku == null)
            {
                return null;
            }

            try
            {
                return JournalReportReader.Read(JournalLocator.Find(session.Graph.DirectoryTenantId, SourceSku, TargetSku)).Undo.RemovedAddOns;
            }
            catch (E4UpgradeException)
            {
                return null; // no default journal (or several): nothing says which add-ons the run freed
            }
        }

        /// <summary>-Force skips the question, as in any PowerShell cmdlet; -WhatIf still only says what would be done.</summary>
        private bool ConfirmRemoval()
        {
            var source = SourceSku ?? "E4";
            var target = TargetSku == null ? "the target" : string.Join(" + ", TargetSku);
            var action = $"Remove leftover {source} licenses from users who already hold {target}";
            if (Force.IsPresent && !WhatIfRequested())
            {
                return true;
            }

            return ShouldProcess($"Performing the operation \"{action}\" on target \"the tenant\".", action + "?", "Confirm");
        }

        private bool WhatIfRequested() =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)
                ? ((SwitchParameter)whatIf).IsPresent
                : SessionState.PSVariable.GetValue("WhatIfPreference") is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
    }
}
