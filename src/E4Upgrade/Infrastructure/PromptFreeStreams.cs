using System.Collections.Generic;
using System.Management.Automation;

namespace E4Upgrade.Infrastructure
{
    /// <summary>
    /// The one way the module's cmdlets write verbose and warning text. PowerShell gives a cmdlet called with -Debug
    /// a verbose and a warning preference of Inquire (unless -Verbose or -WarningAction is also given), so each
    /// message would prompt; in a runbook or a -NonInteractive pwsh it throws PSInvalidOperationException instead and
    /// stops the run. In that case the text goes to the debug stream, which -Debug writes without prompting in
    /// PowerShell 7 (its DebugPreference for -Debug is Continue). -Debug -Verbose or -WarningAction keeps each stream.
    /// </summary>
    internal static class PromptFreeStreams
    {
        public static void Verbose(PSCmdlet cmdlet, string message)
        {
            if (DebugWithout(cmdlet.MyInvocation, "Verbose"))
            {
                cmdlet.WriteDebug(message);
            }
            else
            {
                cmdlet.WriteVerbose(message);
            }
        }

        public static void Warning(PSCmdlet cmdlet, string message)
        {
            if (DebugWithout(cmdlet.MyInvocation, "WarningAction"))
            {
                cmdlet.WriteDebug("WARNING: " + message);
            }
            else
            {
                cmdlet.WriteWarning(message);
            }
        }

        /// <summary>True when -Debug is on and the parameter that would override its Inquire for the stream was not given.</summary>
        internal static bool DebugWithout(InvocationInfo invocation, string overridingParameter)
        {
            var bound = invocation.BoundParameters;
            return IsOn(bound, "Debug") && !bound.ContainsKey(overridingParameter);
        }

        private static bool IsOn(Dictionary<string, object> bound, string name) =>
            bound.TryGetValue(name, out var value) && value switch
            {
                SwitchParameter s => s.IsPresent,
                bool b => b,
                _ => false,
            };
    }
}
