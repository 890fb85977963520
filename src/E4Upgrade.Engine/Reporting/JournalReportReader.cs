using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using E4Upgrade.Engine.Upgrade;

namespace E4Upgrade.Engine.Reporting
{
    /// <summary>
    /// Reads a journal back into one record per user and per group, offline, through the same replay a resumed run
    /// uses (<see cref="JournalReplay"/>). A path that is not there throws JournalNotFound; a file that does not start
    /// with a run record with the journal's format marker, or is not a regular file, throws NotAJournal; a line longer
    /// than any record the module writes throws JournalCorrupt. A journal cut short (the process died while writing its
    /// last line) or with an unreadable line inside still yields every complete record, and says what it could not
    /// read in <see cref="JournalReport.Problems"/> (JournalTruncated, JournalCorrupt). A file this account may not
    /// read throws AccessDenied; any other read failure JournalUnreadable. Nothing is written.
    /// </summary>
    public static class JournalReportReader
    {
        public static JournalReport Read(string path) => Read(path, null);

        /// <summary>A file, or a blob (an https URL) reached with its SAS or the access given.</summary>
        public static JournalReport Read(string path, JournalAccess? access) => Read(JournalStores.For(path, access));

        internal static JournalReport Read(IJournalStore store)
        {
            var location = store.Location;
            if (!store.Exists())
            {
                throw new E4UpgradeException(ErrorIds.JournalNotFound, ErrorCategoryNames.ObjectNotFound,
                    $"The journal '{location}' does not exist. Start-E4Upgrade's summary shows the JournalPath of a run; by default journals are in {UpgradeJournal.DefaultDirectory()}.");
            }

            JournalReplay replay;
            try
            {
                using var stream = store.OpenForReading();
                replay = JournalReplay.Read(stream, location, lenient: true, details: true);
            }
            catch (UnauthorizedAccessException ex)
            {
                // Journals are readable by their owner only: another account gets here.
                throw new E4UpgradeException(ErrorIds.AccessDenied, ErrorCategoryNames.PermissionDenied,
                    $"The journal '{location}' cannot be read by this account: {ex.Message} A journal is readable by the account that ran Start-E4Upgrade only.", ex);
            }
            catch (IOException ex)
            {
                throw new E4UpgradeException(ErrorIds.JournalUnreadable, ErrorCategoryNames.ReadError,
                    $"The journal '{location}' could not be read: {ex.Message}", ex);
            }

            if (replay.Runs.Count == 0)
            {
                throw JournalFormat.NotAJournal(location, "it is empty");
            }

            var records = replay.Users.Select(u => u.Record).Concat(replay.Groups.Select(g => g.Record))
                .Concat(UndoRecords(replay)).ToList();
            return new JournalReport(location, replay.Tenant, replay.Runs, records, replay.Problems, replay.LastRecordAt, replay.Undo);
        }

        /// <summary>One Undo row per user and group an undo touched: from the run's target back to its source.</summary>
        private static IEnumerable<JournalReportRecord> UndoRecords(JournalReplay replay)
        {
            var header = replay.Header;
            var from = (header?.TargetSku ?? "").Split('+').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
            var to = string.IsNullOrEmpty(header?.SourceSku) ? Array.Empty<string>() : new[] { header!.SourceSku };
            foreach (var entry in replay.Undo.Entries)
            {
                var run = replay.Undo.Runs[entry.Run - 1];
                var user = entry.Kind == UndoTargetKind.User;
                yield return new JournalReportRecord
                {
                    Kind = ReportRecordKind.Undo,
                    Time = entry.Time,
                    UserId = user ? entry.Id : null,
                    UserPrincipalName = user ? entry.Name : null,
                    GroupId = user ? null : entry.Id,
                    GroupName = user ? null : entry.Name,
                    From = from,
                    To = to,
                    Status = entry.Status,
                    Reason = entry.Reason,
                    Message = entry.Message,
                    DisabledPlansAfter = entry.DisabledPlans,
                    Attempts = entry.Sendings,
                    Run = entry.Run,
                    RunId = run.RunId,
                    RunStarted = run.Started,
                };
            }
        }
    }

    /// <summary>The statuses a report record can carry beyond MoveStatus and GroupUpgradeStatus names.</summary>
    public static class ReportStatuses
    {
        public const string Unconfirmed = "Unconfirmed";
        public const string Sent = "Sent";
        public const string Swapped = "Swapped";
        public const string SwappedWithErrors = "SwappedWithErrors";
        public const string Failed = "Failed";
        public const string TimedOut = "TimedOut";
    }
}
