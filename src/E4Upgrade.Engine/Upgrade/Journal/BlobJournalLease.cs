using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using Azure.Storage.Blobs.Specialized;
using E4Upgrade.Engine.Pacing;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// A run's hold on a journal blob: a finite blob lease (<see cref="BlobJournalSettings.LeaseDuration"/>), renewed on
    /// the engine's clock while the run lives, released at Dispose. A job that dies stops renewing, and storage lets the
    /// lease lapse. A job that finds the journal leased waits up to <see cref="BlobJournalSettings.WaitForLease"/>
    /// (a dead job's lease lapses within that), then answers JournalInUse: a live run keeps renewing. A journal that
    /// goes on in segments (<see cref="BlobJournalStream"/>) also holds the segment it appends to, with the same lease id.
    /// </summary>
    internal sealed class BlobJournalLease : IJournalLease
    {
        private readonly BlobLeaseClient _lease;
        private readonly string _location;
        private readonly BlobJournalSettings _settings;
        private readonly IClock _clock;
        private readonly LeaseRenewer _renewer;
        private BlobLeaseClient? _segment;
        private Stream? _stream;
        private bool _disposed;

        private BlobJournalLease(BlobLeaseClient lease, string location, BlobJournalSettings settings, IClock clock)
        {
            _lease = lease;
            _location = location;
            _settings = settings;
            _clock = clock;
            _renewer = new LeaseRenewer(clock, settings.RenewEvery, RenewAsync);
        }

        public string LeaseId => _lease.LeaseId;

        /// <summary>Renewals storage accepted so far.</summary>
        public int Renewals => _renewer.Renewals;

        public Stream Stream => _stream ?? throw new InvalidOperationException("The lease has no stream yet.");

        /// <summary>Acquires the lease, waiting on the clock while another holder's lease may still lapse.</summary>
        public static BlobJournalLease Acquire(AppendBlobClient blob, string location, BlobJournalSettings settings, IClock clock)
        {
            var client = blob.GetBlobLeaseClient();
            AcquireWaiting(client, location, settings, clock);
            var lease = new BlobJournalLease(client, location, settings, clock);
            lease._renewer.Start();
            return lease;
        }

        /// <summary>Holds a later segment of the journal too (the one appended to now), under the same lease id.</summary>
        public void Hold(AppendBlobClient segment)
        {
            var client = segment.GetBlobLeaseClient(LeaseId);
            AcquireWaiting(client, _location, _settings, _clock);
            var previous = Interlocked.Exchange(ref _segment, client);
            ReleaseQuietly(previous);
        }

        private async Task RenewAsync(CancellationToken cancellationToken)
        {
            await _lease.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var segment = Volatile.Read(ref _segment);
            if (segment != null)
            {
                await segment.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        private static void AcquireWaiting(BlobLeaseClient client, string location, BlobJournalSettings settings, IClock clock)
        {
            var started = clock.Now;
            while (true)
            {
                var taken = BlobJournalErrors.Guard(location, () =>
                {
                    try
                    {
                        client.Acquire(settings.LeaseDuration);
                        return true;
                    }
                    catch (RequestFailedException ex) when (ex.Status == 409)
                    {
                        return false;
                    }
                });
                if (taken)
                {
                    return;
                }

                if (clock.Now - started >= settings.WaitForLease)
                {
                    throw InUse(location, settings);
                }

                clock.DelayAsync(settings.RetryLeaseEvery, CancellationToken.None).GetAwaiter().GetResult();
            }
        }

        public void Attach(Stream stream) => _stream = stream;

        /// <summary>Nothing to narrow: who may read the blob is the storage account's role assignments and SASs.</summary>
        public void Adopt()
        {
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _renewer.Dispose();
            _stream?.Dispose();
            ReleaseQuietly(_segment);
            ReleaseQuietly(_lease);
        }

        private static void ReleaseQuietly(BlobLeaseClient? lease)
        {
            try
            {
                lease?.Release();
            }
            catch (Exception ex) when (ex is RequestFailedException || ex is IOException || ex is AggregateException || ex is OperationCanceledException)
            {
                // Every record was appended when it was written: an unreleased lease only lapses on its own.
            }
        }

        private static E4UpgradeException InUse(string location, BlobJournalSettings settings) =>
            new E4UpgradeException(ErrorIds.JournalInUse, ErrorCategoryNames.ResourceBusy,
                $"The journal '{location}' is in use by another run: its blob lease was still held after {settings.WaitForLease.TotalSeconds:0} s, so that run is alive " +
                $"(a job that died lets its {settings.LeaseDuration.TotalSeconds:0}-second lease lapse). Two runs on one journal would corrupt it: " +
                "wait for the other job to end, or stop it, then run again.");
    }

    /// <summary>Calls renew every period on the clock until disposed; a failed renewal is tried again at the next one.</summary>
    internal sealed class LeaseRenewer : IDisposable
    {
        private readonly IClock _clock;
        private readonly TimeSpan _every;
        private readonly Func<CancellationToken, Task> _renew;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private Task? _loop;

        public LeaseRenewer(IClock clock, TimeSpan every, Func<CancellationToken, Task> renew)
        {
            _clock = clock;
            _every = every;
            _renew = renew;
        }

        /// <summary>Renewals done so far (for tests and verbose text).</summary>
        public int Renewals => Volatile.Read(ref _renewals);

        private int _renewals;

        public void Start() => _loop = Task.Run(LoopAsync);

        public void Dispose()
        {
            _stop.Cancel();
            try
            {
                _loop?.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // The loop ends by cancellation.
            }

            _stop.Dispose();
        }

        private async Task LoopAsync()
        {
            var token = _stop.Token;
            while (!token.IsCancellationRequested)
            {
                try
                {
                    await _clock.DelayAsync(_every, token).ConfigureAwait(false);
                    await _renew(token).ConfigureAwait(false);
                    Interlocked.Increment(ref _renewals);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is RequestFailedException || ex is IOException || ex is AggregateException || ex is InvalidOperationException)
                {
                    // Tried again at the next period; a lease lost for good makes the next append fail (JournalWriteFailed).
                }
            }
        }
    }
}
