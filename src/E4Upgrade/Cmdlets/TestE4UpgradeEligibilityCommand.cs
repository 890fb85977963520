using System.Management.Automation;
using E4Upgrade.Engine.Upgrade;
using E4Upgrade.Infrastructure;

namespace E4Upgrade.Cmdlets
{
    /// <summary>Reports every reason the move to the target would fail or lose something, before any change.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "E4UpgradeEligibility")]
    [OutputType("E4Upgrade.Engine.Upgrade.EligibilityReport")]
    public sealed class TestE4UpgradeEligibilityCommand : AsyncCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SkuArgumentCompleter))]
        public string[] TargetSku { get; set; } = System.Array.Empty<string>();

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SkuArgumentCompleter))]
        public string? SourceSku { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? UsageLocation { get; set; }

        protected override void EndProcessing()
        {
            var session = ModuleSession.Require(this);
            var checker = new EligibilityChecker(session.Gateway);
            var request = new EligibilityRequest { TargetSkus = TargetSku, SourceSku = SourceSku, UsageLocation = UsageLocation?.ToUpperInvariant() };
            Run(async ct =>
            {
                request.TokenPermissions = await session.Graph.ReadTokenPermissionsAsync(ct).ConfigureAwait(false);
                Output.Object(await checker.CheckAsync(request, ct).ConfigureAwait(false));
            });
        }
    }
}
