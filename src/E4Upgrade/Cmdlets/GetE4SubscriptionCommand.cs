using System.Management.Automation;
using E4Upgrade.Engine.Upgrade;
using E4Upgrade.Infrastructure;

namespace E4Upgrade.Cmdlets
{
    /// <summary>Lists the tenant's E4 SKU(s) and, on request, the target or every SKU, with seats and status.</summary>
    [Cmdlet(VerbsCommon.Get, "E4Subscription", DefaultParameterSetName = E4Set)]
    [OutputType("E4Upgrade.Engine.Upgrade.SubscriptionSummary")]
    public sealed class GetE4SubscriptionCommand : AsyncCmdlet
    {
        private const string E4Set = "E4";
        private const string AllSet = "All";

        [Parameter(ParameterSetName = E4Set, Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SkuArgumentCompleter))]
        public string[]? TargetSku { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = AllSet)]
        public SwitchParameter All { get; set; }

        protected override void EndProcessing()
        {
            var session = ModuleSession.Require(this);
            var inventory = new SubscriptionInventory(session.Gateway);
            var query = new SubscriptionQuery { TargetSkus = TargetSku ?? System.Array.Empty<string>(), All = All.IsPresent };
            Run(async ct =>
            {
                foreach (var summary in await inventory.GetAsync(query, ct).ConfigureAwait(false))
                {
                    Output.Object(summary);
                }
            });
        }
    }
}
