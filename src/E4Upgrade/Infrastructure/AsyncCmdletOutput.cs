using System;
using System.Management.Automation;

namespace E4Upgrade.Infrastructure
{
    /// <summary>
    /// The output streams of an <see cref="AsyncCmdlet"/> as seen from worker threads: every call is queued and
    /// replayed on the pipeline thread.
    /// </summary>
    internal sealed class AsyncCmdletOutput
    {
        private readonly PSCmdlet cmdlet;
        private readonly Action<Action> post;

        public AsyncCmdletOutput(PSCmdlet cmdlet, Action<Action> post)
        {
            this.cmdlet = cmdlet;
            this.post = post;
        }

        public void Object(object value) => post(() => cmdlet.WriteObject(value));

        public void Verbose(string message) => post(() => PromptFreeStreams.Verbose(cmdlet, message));

        public void Warning(string message) => post(() => PromptFreeStreams.Warning(cmdlet, message));

        public void Error(ErrorRecord record) => post(() => cmdlet.WriteError(record));

        public void Progress(ProgressRecord record) => post(() => cmdlet.WriteProgress(record));
    }
}
