using Azure.Core;
using E4Upgrade.Engine.Connection;
using E4Upgrade.Engine.Pacing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>The one place that decides where a -JournalPath lives: a blob for a URL, a local file otherwise.</summary>
    public static class JournalStores
    {
        /// <summary>True when the path names a blob (an http(s) URL): PowerShell's providers never see it.</summary>
        public static bool IsBlob(string? path) => BlobJournalAddress.IsUrl(path);

        /// <summary>How messages and error records name the journal: a file's path as given, a URL without its SAS.</summary>
        public static string Describe(string? path) => path == null ? "" : IsBlob(path) ? BlobJournalAddress.Redact(path) : path;

        internal static IJournalStore For(string path, JournalAccess? access, IClock? clock = null) =>
            IsBlob(path)
                ? new BlobJournalStore(BlobJournalAddress.Parse(path), access ?? JournalAccess.None, clock ?? new SystemClock())
                : (IJournalStore)new FileJournalStore(path);
    }

    /// <summary>
    /// What a journal in blob storage may be reached with besides a SAS in its URL: the Connect-E4Upgrade session's
    /// credential, asking for the storage scope (a managed identity with Storage Blob Data Contributor). An
    /// -AccessToken session has none: its token is for Graph only.
    /// </summary>
    public sealed class JournalAccess
    {
        internal JournalAccess(TokenCredential? credential, BlobJournalSettings? settings = null)
        {
            Credential = credential;
            Settings = settings ?? new BlobJournalSettings();
        }

        public static JournalAccess None { get; } = new JournalAccess(null);

        /// <summary>The session's credential for storage (null session: a SAS only).</summary>
        public static JournalAccess Of(GraphSession? session) => new JournalAccess(session?.StorageCredential);

        internal TokenCredential? Credential { get; }

        internal BlobJournalSettings Settings { get; }
    }
}
