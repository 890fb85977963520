using System;
using System.Text;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// What makes a file a journal: its first record is a run record with the module's format marker. A run record
    /// written before the marker existed (version 1, naming the source and target SKUs) still counts; nothing else
    /// does, so a foreign JSON or JSON-lines file is refused (NotAJournal) and never changed.
    /// </summary>
    public static class JournalFormat
    {
        /// <summary>The "format" value of every run record.</summary>
        public const string Marker = "E4Upgrade.Journal";

        /// <summary>A record longer than this is not one the module wrote (JournalCorrupt): a reader never holds more.</summary>
        public const int MaxRecordBytes = 1024 * 1024;

        /// <summary>How a run record starts on disk (type, then format): a first line torn within its first write still shows it.</summary>
        internal static readonly byte[] RunRecordPrefix = Encoding.UTF8.GetBytes("{\"type\":\"run\",\"format\":\"" + Marker + "\"");

        internal static bool IsFirstRecord(JournalRecord record) =>
            record.Type == JournalRecordTypes.Run
            && (string.Equals(record.Format, Marker, StringComparison.Ordinal)
                || (record.Format == null && record.Version == 1 && !string.IsNullOrWhiteSpace(record.SourceSku) && !string.IsNullOrWhiteSpace(record.TargetSku)));

        internal static E4UpgradeException NotAJournal(string location, string why) =>
            new E4UpgradeException(ErrorIds.NotAJournal, ErrorCategoryNames.InvalidData,
                $"'{location}' is not an E4Upgrade journal: {why}. It was not changed. A journal is the JSON-lines file Start-E4Upgrade writes, " +
                "starting with a run record; pass the path of one, or of a file that does not exist yet.");

        internal static E4UpgradeException RecordTooLong(string location, long line) =>
            new E4UpgradeException(ErrorIds.JournalCorrupt, ErrorCategoryNames.InvalidData,
                $"The journal '{location}' has a line {line} longer than {MaxRecordBytes / 1024} KiB; E4Upgrade writes no such record, so the file was changed " +
                "outside E4Upgrade. It was not read further. Move it aside to start a new journal (users already moved are then found as AlreadyMoved).");
    }
}
