using System.Management.Automation;
using E4Upgrade.Infrastructure;

namespace E4Upgrade.Cmdlets
{
    /// <summary>Forgets the module's Graph session and the credential behind it.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "E4Upgrade", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(void))]
    public sealed class DisconnectE4UpgradeCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            var current = ModuleSession.Current;
            if (current == null)
            {
                PromptFreeStreams.Verbose(this, "Not connected; nothing to disconnect.");
                return;
            }

            if (ShouldProcess(current.Graph.GraphEndpoint.ToString(), "Disconnect from Microsoft Graph"))
            {
                ModuleSession.Clear();
            }
        }
    }
}
