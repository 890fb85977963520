using System;
using System.IO;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using E4Upgrade.Engine.Pacing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// A journal in Azure Blob Storage: an append blob, one append block per record (Append Block is atomic and, with
    /// the append-position condition, never lands twice), so it outlives an Azure Automation sandbox. The run's lock is
    /// a blob lease (<see cref="BlobJournalLease"/>); readers take none.
    /// https://learn.microsoft.com/rest/api/storageservices/append-block
    /// </summary>
    internal sealed class BlobJournalStore : IJournalStore
    {
        private readonly BlobJournalAddress _address;
        private readonly JournalAccess _access;
        private readonly IClock _clock;

        public BlobJournalStore(BlobJournalAddress address, JournalAccess access, IClock clock)
        {
            _address = address;
            _access = access;
            _clock = clock;
        }

        public string Location => _address.Display;

        public bool Exists()
        {
            var blob = Client();
            return BlobJournalErrors.Guard(Location, () => blob.Exists().Value);
        }

        public Stream OpenForReading()
        {
            return BlobJournalStream.Open(Client(), Location, lease: null, _access.Settings);
        }

        public IJournalLease OpenForRun()
        {
            var blob = Client();
            BlobJournalErrors.Guard(Location, () =>
            {
                // Created empty if absent (If-None-Match: *), so a second job racing to create it never overwrites it.
                blob.CreateIfNotExists();
                var properties = blob.GetProperties().Value;
                if (properties.BlobType != BlobType.Append)
                {
                    throw JournalFormat.NotAJournal(Location, $"it is a {properties.BlobType.ToString().ToLowerInvariant()} blob; a journal in blob storage is an append blob");
                }

                return true;
            });
            var lease = BlobJournalLease.Acquire(blob, Location, _access.Settings, _clock);
            try
            {
                // Read under the lease: another job may have appended between the first read and the lease.
                lease.Attach(BlobJournalStream.Open(blob, Location, lease, _access.Settings));
                return lease;
            }
            catch
            {
                lease.Dispose();
                throw;
            }
        }

        private AppendBlobClient Client()
        {
            var settings = _access.Settings;
            var options = new BlobClientOptions();
            options.Retry.MaxRetries = settings.StorageRetries;
            options.Retry.Delay = settings.StorageRetryDelay;
            options.Retry.NetworkTimeout = settings.StorageRequestTimeout;
            options.Diagnostics.IsLoggingEnabled = false;
            options.Diagnostics.IsDistributedTracingEnabled = false;
            if (_address.HasSas)
            {
                return new AppendBlobClient(_address.Uri, options);
            }

            var credential = _access.Credential ?? throw new E4UpgradeException(ErrorIds.JournalStorageNoCredential, ErrorCategoryNames.AuthenticationError,
                $"The journal URL '{Location}' has no SAS, and this session has no credential storage accepts (not connected, or connected with -AccessToken, whose token is for Graph only). " +
                "Connect-E4Upgrade with -ManagedIdentity (or a certificate or secret) whose identity holds Storage Blob Data Contributor on the container, or add a SAS with read, add, create and write permissions to the URL.");
            if (_address.Uri.Scheme != Uri.UriSchemeHttps)
            {
                throw new E4UpgradeException(ErrorIds.InvalidJournalUrl, ErrorCategoryNames.InvalidArgument,
                    $"The journal URL '{Location}' is plain http: a token is sent over https only. Use https, or a SAS.");
            }

            return new AppendBlobClient(_address.Uri, credential, options);
        }
    }

    /// <summary>Timings of a journal in blob storage; tests shorten nothing here but the clock they pass.</summary>
    internal sealed class BlobJournalSettings
    {
        /// <summary>
        /// 15 s, the shortest lease storage grants (https://learn.microsoft.com/rest/api/storageservices/lease-blob): a
        /// job that died frees its journal within 15 s. Our choice.
        /// </summary>
        public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

        /// <summary>A third of the lease: two renewals may fail (a slow answer) before the lease lapses. Our choice.</summary>
        public TimeSpan RenewEvery { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>
        /// How long a run waits for a lease another job holds: one lease and a margin, so a job restarted after a crash
        /// gets the journal once the dead job's lease lapses, and a live run (which renews) still answers JournalInUse.
        /// </summary>
        public TimeSpan WaitForLease { get; set; } = TimeSpan.FromSeconds(20);

        public TimeSpan RetryLeaseEvery { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>Records per blob before the journal goes on in the next segment: an append blob's 50,000 blocks.</summary>
        public int BlocksPerSegment { get; set; } = 50_000;

        public int StorageRetries { get; set; } = 3;

        public TimeSpan StorageRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

        public TimeSpan StorageRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
    }
}
