using System.Management.Automation;
using E4Upgrade.Engine.Upgrade;
using E4Upgrade.Infrastructure;

namespace E4Upgrade.Cmdlets
{
    /// <summary>
    /// Verifies E4 is no longer used, optionally clears leftover E4 assignments from users who already hold the
    /// target, and says what the admin must still do: there is no public API to cancel the subscription itself.
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
        public SwitchParameter Force { get; set; }

        protected override void EndProcessing()
        {
            var session = ModuleSession.Require(this);
            var target = TargetSku == null ? "the target" : string.Join(" + ", TargetSku);
            var force = Force.IsPresent && ShouldProcess(
                $"Performing the operation \"Remove leftover E4 licenses from users who already hold {target}\" on target \"the tenant\".",
                $"Remove leftover E4 licenses from users who already hold {target}?",
                "Confirm");
            var closer = new SubscriptionCloser(session.Gateway);
            var options = new SubscriptionClosureOptions { SourceSku = SourceSku, TargetSkus = TargetSku ?? System.Array.Empty<string>(), Force = force };
            Run(async ct => Output.Object(await closer.CloseAsync(options, ct).ConfigureAwait(false)));
        }
    }
}
