using System;
using System.IO;
using System.Management.Automation;
using E4Upgrade.Engine;
using E4Upgrade.Engine.Reporting;
using E4Upgrade.Engine.Upgrade;
using E4Upgrade.Infrastructure;
using E4Upgrade.Output;

namespace E4Upgrade.Cmdlets
{
    /// <summary>
    /// Reads a Start-E4Upgrade journal back, offline: one record per user and per group, with -Summary the counts, or
    /// with -HtmlPath a self-contained HTML report. The reading, every rule about what a record means and the HTML
    /// live in the engine (JournalReportReader, ReportModel, HtmlReportWriter).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "E4UpgradeReport", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(UpgradeReportRecord), typeof(UpgradeReportSummary), typeof(FileInfo))]
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
        public string[] TargetSku { get; set; } = Array.Empty<string>();

        [Parameter(ParameterSetName = DefaultSet)]
        [ValidateNotNullOrEmpty]
        public string? TenantId { get; set; }

        [Parameter(ParameterSetName = DefaultSet)]
        [ValidateNotNullOrEmpty]
        public string? SourceSku { get; set; }

        [Parameter]
        public SwitchParameter Summary { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? HtmlPath { get; set; }

        protected override void ProcessRecord()
        {
            JournalReport report;
            try
            {
                var path = ParameterSetName == DefaultSet
                    ? JournalLocator.Find(TenantId ?? ModuleSession.Current?.Graph.DirectoryTenantId, SourceSku, TargetSku)
                    : JournalPathResolver.Resolve(this, JournalPath);
                report = JournalReportReader.Read(path, JournalAccess.Of(ModuleSession.Current?.Graph));
            }
            catch (E4UpgradeException ex)
            {
                WriteError(ErrorRecords.From(ex, ParameterSetName == DefaultSet ? string.Join(" + ", TargetSku) : JournalStores.Describe(JournalPath)));
                return;
            }

            if (Summary.IsPresent)
            {
                WriteObject(new UpgradeReportSummary(JournalReportSummary.Of(report)));
            }
            else if (HtmlPath == null)
            {
                foreach (var record in report.Records)
                {
                    WriteObject(new UpgradeReportRecord(record, report.Path));
                }
            }

            if (HtmlPath != null)
            {
                WriteHtml(report);
            }

            // After the records: a cut-short journal still gives every complete record, then says what it left out.
            foreach (var problem in report.Problems)
            {
                WriteError(ErrorRecords.Create(problem.ErrorId, ErrorCategory.InvalidData, problem.Message, report.Path));
            }
        }

        private void WriteHtml(JournalReport report)
        {
            var path = GetUnresolvedProviderPathFromPSPath(HtmlPath);
            if (!ShouldProcess(path, "Write the HTML report of " + report.Path))
            {
                return;
            }

            try
            {
                HtmlReportWriter.WriteFile(ReportModel.From(report), path, DateTimeOffset.UtcNow);
            }
            catch (E4UpgradeException ex)
            {
                WriteError(ErrorRecords.From(ex, path));
                return;
            }

            WriteObject(new FileInfo(path));
        }
    }
}
