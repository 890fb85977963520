using System;
using System.Net;
using Azure.Storage.Blobs;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// A journal in Azure Blob Storage named by its URL: https://&lt;account&gt;.blob.core.windows.net/&lt;container&gt;/&lt;blob&gt;,
    /// or an emulator's path-style loopback URL http(s)://127.0.0.1:&lt;port&gt;/&lt;account&gt;/&lt;container&gt;/&lt;blob&gt;
    /// (Azurite). A SAS may follow in the query; <see cref="Display"/> never shows it.
    /// </summary>
    internal sealed class BlobJournalAddress
    {
        private BlobJournalAddress(Uri uri, string display, bool hasSas, string container, string blob)
        {
            Uri = uri;
            Display = display;
            HasSas = hasSas;
            Container = container;
            Blob = blob;
        }

        /// <summary>The URL as given, SAS included: only for the storage client.</summary>
        public Uri Uri { get; }

        /// <summary>The URL without its query: what messages, the summary and the report name the journal by.</summary>
        public string Display { get; }

        public bool HasSas { get; }

        public string Container { get; }

        public string Blob { get; }

        /// <summary>True for anything that starts as a web address: such a -JournalPath is never taken for a file name.</summary>
        public static bool IsUrl(string? path) =>
            path != null
            && (path.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("http://", StringComparison.OrdinalIgnoreCase));

        /// <summary>The URL without query or fragment, for messages (a SAS is a secret).</summary>
        public static string Redact(string url)
        {
            var end = url.IndexOfAny(new[] { '?', '#' });
            return end < 0 ? url : url.Substring(0, end);
        }

        /// <summary>Throws InvalidJournalUrl for a URL that cannot name a blob.</summary>
        public static BlobJournalAddress Parse(string url)
        {
            JournalPathRules.Check(url);
            var display = Redact(url);
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw Invalid(display, "it is not an http(s) URL");
            }

            if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
            {
                // A SAS or a bearer token would cross the network in clear text.
                throw Invalid(display, "it is plain http to a host that is not this computer; storage is reached over https");
            }

            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                throw Invalid(display, "it holds a user name");
            }

            BlobUriBuilder parts;
            try
            {
                parts = new BlobUriBuilder(uri);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is FormatException)
            {
                throw Invalid(display, "it cannot be read as a blob URL");
            }

            if (string.IsNullOrEmpty(parts.BlobContainerName) || string.IsNullOrEmpty(parts.BlobName))
            {
                throw Invalid(display, "it names no container and blob");
            }

            if (!string.IsNullOrEmpty(parts.Snapshot) || !string.IsNullOrEmpty(parts.VersionId))
            {
                throw Invalid(display, "it names a snapshot or version, which cannot be appended to");
            }

            var hasSas = parts.Sas != null && !string.IsNullOrEmpty(parts.Sas.Signature);
            return new BlobJournalAddress(uri, display, hasSas, parts.BlobContainerName, parts.BlobName);
        }

        private static bool IsLoopback(Uri uri) =>
            uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

        private static E4UpgradeException Invalid(string display, string why) =>
            new E4UpgradeException(ErrorIds.InvalidJournalUrl, ErrorCategoryNames.InvalidArgument,
                $"The journal URL '{display}' cannot be used: {why}. A journal in Azure Blob Storage is named " +
                "https://<account>.blob.core.windows.net/<container>/<name>.jsonl, with a SAS in the query or with Connect-E4Upgrade's identity holding Storage Blob Data Contributor.");
    }
}
