using System;
using System.Collections.Generic;
using System.Management.Automation;
using E4Upgrade.Engine;
using E4Upgrade.Engine.Upgrade;
using E4Upgrade.Infrastructure;
using E4Upgrade.Output;

namespace E4Upgrade.Cmdlets
{
    /// <summary>
    /// The way back: reverses what Start-E4Upgrade did, from its journal (UndoRunner in the engine). Every user and group
    /// the journal records as moved, or those named (-User, -Group, or report rows piped in), gets back its source with the
    /// plans it had disabled and loses the target, in one call each. Journaled in the same journal, so the same command
    /// continues a stopped undo.
    /// </summary>
    [Cmdlet(VerbsCommon.Undo, "E4Upgrade", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(UndoResultRecord))]
    [OutputType("E4Upgrade.Engine.Upgrade.UndoSummary")]
    public sealed class UndoE4UpgradeCommand : AsyncCmdlet
    {
        private readonly Dictionary<string, Selection> journals = new Dictionary<string, Selection>(StringComparer.Ordinal);
        private readonly List<string> order = new List<string>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string JournalPath { get; set; } = "";

        /// <summary>Null elements are ignored: a report row of a group carries no UserId.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("UserId", "UserPrincipalName", "Id")]
        [AllowNull]
        [AllowEmptyCollection]
        public string[]? User { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("GroupId")]
        [AllowNull]
        [AllowEmptyCollection]
        public string[]? Group { get; set; }

        [Parameter]
        [ValidateRange(1, 20)]
        public int WriteAttempts { get; set; } = 6;

        protected override void ProcessRecord()
        {
            string path;
            try
            {
                path = JournalPathResolver.Resolve(this, JournalPath);
            }
            catch (E4UpgradeException ex)
            {
                WriteError(ErrorRecords.From(ex, JournalPath));
                return;
            }

            if (!journals.TryGetValue(path, out var selection))
            {
                selection = new Selection();
                journals[path] = selection;
                order.Add(path);
            }

            selection.Add(User, Group);
        }

        protected override void EndProcessing()
        {
            var session = ModuleSession.Require(this);
            foreach (var path in order)
            {
                var selection = journals[path];
                var who = selection.Subset ? $"{selection.Users.Count} named users and {selection.Groups.Count} named groups" : "every user and group";
                var confirmed = ShouldProcess(
                    $"Performing the operation \"Give back the source license to {who} the journal records as moved\" on target \"{JournalStores.Describe(path)}\".",
                    $"Give back the source license, and remove the target, for {who} that the journal {JournalStores.Describe(path)} records as moved?",
                    "Confirm",
                    out var reason);
                var planOnly = !confirmed && reason == ShouldProcessReason.WhatIf;
                if (!confirmed && !planOnly)
                {
                    continue;
                }

                UndoOne(session, path, selection, planOnly);
            }
        }

        private void UndoOne(ConnectedSession session, string path, Selection selection, bool planOnly)
        {
            var options = new UndoOptions
            {
                JournalPath = path,
                TenantId = session.Graph.DirectoryTenantId,
                JournalAccess = JournalAccess.Of(session.Graph),
                Users = selection.Subset ? selection.Users : null,
                Groups = selection.Subset ? selection.Groups : null,
                PlanOnly = planOnly,
                WriteAttempts = WriteAttempts,
                RanBy = Environment.UserName + " on " + Environment.MachineName,
            };
            var reporter = new Reporter(Output, JournalStores.Describe(path));
            UndoSummary? summary = null;
            Run(async ct => summary = await new UndoRunner(session.Gateway).RunAsync(options, reporter, ct).ConfigureAwait(false));
            WriteProgress(reporter.Completed());
            if (summary == null)
            {
                return;
            }

            WriteObject(summary);
            if (!planOnly && summary.Failed > 0)
            {
                WriteError(ErrorRecords.Create(ErrorIds.UndoIncomplete, ErrorCategory.InvalidResult,
                    $"The undo finished with {summary.Failed} users or groups not given back (see their Failed rows). Fix the causes and run the same command again: finished ones are not written again. Journal: {summary.JournalPath}",
                    summary));
            }
        }

        /// <summary>Who to reverse in one journal: everyone, unless users or groups were named.</summary>
        private sealed class Selection
        {
            public List<string> Users { get; } = new List<string>();
            public List<string> Groups { get; } = new List<string>();
            public bool Subset { get; private set; }

            public void Add(string[]? users, string[]? groups)
            {
                foreach (var user in users ?? Array.Empty<string>())
                {
                    if (!string.IsNullOrWhiteSpace(user))
                    {
                        Users.Add(user);
                        Subset = true;
                    }
                }

                foreach (var group in groups ?? Array.Empty<string>())
                {
                    if (!string.IsNullOrWhiteSpace(group))
                    {
                        Groups.Add(group);
                        Subset = true;
                    }
                }
            }
        }

        /// <summary>Relays the undo to the pipeline: a row per user and group, progress, warnings, verbose.</summary>
        private sealed class Reporter : IUndoReporter
        {
            private const int ActivityId = 1;
            private const string Activity = "Undo-E4Upgrade";
            private readonly AsyncCmdletOutput output;
            private readonly string path;

            public Reporter(AsyncCmdletOutput output, string path)
            {
                this.output = output;
                this.path = path;
            }

            public void Result(UndoResult result) => output.Object(new UndoResultRecord(result, path));

            public void Progress(int done, int total, string status) =>
                output.Progress(new ProgressRecord(ActivityId, Activity, $"{done:N0} of {total:N0}: {status}") { PercentComplete = total > 0 ? Math.Min(100, done * 100 / total) : 0 });

            public void Warning(string message) => output.Warning(message);

            public void Verbose(string message) => output.Verbose(message);

            public ProgressRecord Completed() => new ProgressRecord(ActivityId, Activity, "Done") { RecordType = ProgressRecordType.Completed };
        }
    }
}
