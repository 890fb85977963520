using System.Management.Automation;
using E4Upgrade.Engine;
using E4Upgrade.Engine.Reporting;
using E4Upgrade.Infrastructure;
using E4Upgrade.Output;

namespace E4Upgrade.Cmdlets
{
    /// <summary>
    /// Reads a Start-E4Upgrade journal back, offline: one record per user and per group, or with -Summary the counts.
    /// The reading and every rule about what a record means live in the engine (JournalReportReader).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "E4UpgradeReport", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(UpgradeReportRecord), typeof(UpgradeReportSummary))]
    public sealed class GetE4UpgradeReportCommand : PSCmdlet
    {
        private const string PathSet = "Path";
        private const string DefaultSet = "Default";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string JournalPath { get; set; } = "";

        [Parameter(Mandatory = true, ParameterSetName = DefaultSet)]
        [ValidateNotNullOrEmpty]
        public string TargetSku { get; set; } = "";

        [Parameter(ParameterSetName = DefaultSet)]
        [ValidateNotNullOrEmpty]
        public string? TenantId { get; set; }

        [Parameter(ParameterSetName = DefaultSet)]
        [ValidateNotNullOrEmpty]
        public string? SourceSku { get; set; }

        [Parameter]
        public SwitchParameter Summary { get; set; }

        protected override void ProcessRecord()
        {
            JournalReport report;
            try
            {
                var path = ParameterSetName == DefaultSet
                    ? JournalLocator.Find(TenantId ?? ModuleSession.Current?.Graph.DirectoryTenantId, SourceSku, TargetSku)
                    : JournalPathResolver.Resolve(this, JournalPath);
                report = JournalReportReader.Read(path);
            }
            catch (E4UpgradeException ex)
            {
                WriteError(ErrorRecords.From(ex, ParameterSetName == DefaultSet ? TargetSku : JournalPath));
                return;
            }

            if (Summary.IsPresent)
            {
                WriteObject(new UpgradeReportSummary(JournalReportSummary.Of(report)));
            }
            else
            {
                foreach (var record in report.Records)
                {
                    WriteObject(new UpgradeReportRecord(record, report.Path));
                }
            }

            // After the records: a cut-short journal still gives every complete record, then says what it left out.
            foreach (var problem in report.Problems)
            {
                WriteError(ErrorRecords.Create(problem.ErrorId, ErrorCategory.InvalidData, problem.Message, report.Path));
            }
        }
    }
}
