using System;
using System.Collections.Generic;
using E4Upgrade.Engine.Reporting;

namespace E4Upgrade.Output
{
    /// <summary>
    /// What a journal says happened to one user or one group, as Get-E4UpgradeReport writes it. Flat, so it goes into
    /// Export-Csv as it is: plan lists joined with "; ", the SKUs of a compound target with " + ".
    /// </summary>
    public sealed class UpgradeReportRecord
    {
        internal UpgradeReportRecord(JournalReportRecord record, string journalPath)
        {
            Kind = record.Kind.ToString();
            Time = record.Time;
            UserPrincipalName = record.UserPrincipalName;
            UserId = record.UserId;
            GroupName = record.GroupName;
            GroupId = record.GroupId;
            From = JoinSkus(record.From);
            To = JoinSkus(record.To);
            Status = record.Status;
            Reason = record.Reason;
            Message = record.Message;
            DisabledPlansBefore = Join(record.DisabledPlansBefore);
            DisabledPlansAfter = Join(record.DisabledPlansAfter);
            DroppedPlans = Join(record.DroppedPlans);
            Attempts = record.Attempts;
            Members = record.Members;
            MembersFailed = record.MembersFailed;
            Run = record.Run;
            RunId = record.RunId;
            RunStarted = record.RunStarted;
            JournalPath = journalPath;
        }

        /// <summary>User or Group. A user moved with a group is a User row with GroupId set.</summary>
        public string Kind { get; }
        public DateTimeOffset Time { get; }
        public string? UserPrincipalName { get; }
        public string? UserId { get; }
        public string? GroupName { get; }
        public string? GroupId { get; }
        public string From { get; }
        public string To { get; }
        public string Status { get; }
        public string? Reason { get; }
        public string? Message { get; }
        public string DisabledPlansBefore { get; }
        public string DisabledPlansAfter { get; }
        public string DroppedPlans { get; }
        public int Attempts { get; }
        public int? Members { get; }
        public int? MembersFailed { get; }
        public int Run { get; }
        public string? RunId { get; }
        public DateTimeOffset RunStarted { get; }
        public string JournalPath { get; }

        private static string Join(IReadOnlyList<string> values) => string.Join("; ", values);

        /// <summary>A compound target reads as Start-E4Upgrade names it: SPE_E5 + Microsoft_Teams_Enterprise_New.</summary>
        internal static string JoinSkus(IReadOnlyList<string> skus) => string.Join(" + ", skus);
    }
}
