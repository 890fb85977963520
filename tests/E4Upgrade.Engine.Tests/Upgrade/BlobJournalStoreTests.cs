using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Pacing;
using E4Upgrade.Engine.Reporting;
using E4Upgrade.Engine.Tests.Pacing;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>
/// The journal in blob storage against Azurite, Microsoft's storage emulator (installed by build.ps1 TestTools): every
/// guarantee the file journal gives (issue 21 item 1), and the lease as the run lock. Storage's own behaviour (append
/// blocks, leases, 403) comes from Azurite; time for renewals and lease waits is the test's clock.
/// </summary>
public sealed class BlobJournalStoreTests : IClassFixture<AzuriteBlobFixture>
{
    private const string Tenant = "11111111-1111-1111-1111-111111111111";
    private readonly AzuriteBlobFixture _azurite;
    private readonly string _container;

    public BlobJournalStoreTests(AzuriteBlobFixture azurite)
    {
        _azurite = azurite;
        _container = azurite.NewContainer();
    }

    private static JournalHeader Header(string tenant = Tenant) => new()
    {
        TenantId = tenant,
        SourceSku = "ENTERPRISEWITHSCAL",
        SourceSkuId = TestSkus.E4Id,
        TargetSku = "ENTERPRISEPREMIUM",
        TargetSkuId = TestSkus.E5Id,
        OptionsHash = "h1",
        Started = DateTimeOffset.UtcNow,
    };

    private string Url(string blob) => _azurite.SasUrl(_container, blob);

    private static IJournalStore Store(string url, IClock? clock = null, BlobJournalSettings? settings = null) =>
        JournalStores.For(url, new JournalAccess(null, settings), clock ?? new GatedClock());

    private AppendBlobClient Blob(string name) => _azurite.Container(_container).GetAppendBlobClient(name);

    private string Text(string name) => Blob(name).DownloadContent().Value.Content.ToString();

    [Fact]
    public void A_run_appends_one_block_per_record_and_the_next_run_continues_it()
    {
        var url = Url("journal.jsonl");
        using (var journal = UpgradeJournal.Open(Store(url), Header()))
        {
            Assert.False(journal.Resumed);
            journal.WriteSending("u1", "u1@contoso.com");
            journal.WriteResult(new MoveResult { UserId = "u1", UserPrincipalName = "u1@contoso.com", Status = MoveStatus.Moved, Attempts = 1 });
            journal.WriteSending("u2", "u2@contoso.com");
        }

        var properties = Blob("journal.jsonl").GetProperties().Value;
        Assert.Equal(BlobType.Append, properties.BlobType);
        Assert.Equal(4, properties.BlobCommittedBlockCount);
        Assert.Equal(LeaseState.Available, properties.LeaseState);
        Assert.StartsWith("{\"type\":\"run\",\"format\":\"E4Upgrade.Journal\"", Text("journal.jsonl"));

        using (var again = UpgradeJournal.Open(Store(url), Header()))
        {
            Assert.True(again.Resumed);
            Assert.True(again.Prior.IsDone("u1"));
            Assert.Equal(new[] { "u2" }, again.Prior.UsersToRecheck);
        }

        var report = JournalReportReader.Read(url, null);
        Assert.Equal(2, report.Runs.Count);
        Assert.DoesNotContain("sig=", report.Path);
        Assert.Equal(_azurite.PlainUrl(_container, "journal.jsonl"), report.Path);
    }

    [Fact]
    public void A_journal_of_another_tenant_is_refused_and_left_as_it_was()
    {
        var url = Url("other.jsonl");
        using (UpgradeJournal.Open(Store(url), Header())) { }
        var before = Text("other.jsonl");

        var ex = Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open(Store(url), Header("22222222-2222-2222-2222-222222222222")));

        Assert.Equal(ErrorIds.JournalOtherTenant, ex.ErrorId);
        Assert.Equal(before, Text("other.jsonl"));
        Assert.Equal(LeaseState.Available, Blob("other.jsonl").GetProperties().Value.LeaseState);
    }

    [Theory]
    [InlineData("{\"type\":\"info\",\"msg\":\"started\"}\n")]
    [InlineData("just some notes\n")]
    public void A_blob_that_is_not_a_journal_is_refused_and_left_as_it_was(string content)
    {
        var blob = Blob("notes.jsonl");
        blob.CreateIfNotExists();
        blob.AppendBlock(new MemoryStream(Encoding.UTF8.GetBytes(content)));

        var ex = Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open(Store(Url("notes.jsonl")), Header()));

        Assert.Equal(ErrorIds.NotAJournal, ex.ErrorId);
        Assert.Equal(content, Text("notes.jsonl"));
        Assert.Equal(LeaseState.Available, blob.GetProperties().Value.LeaseState);
        blob.Delete();
    }

    [Fact]
    public void A_block_blob_is_not_a_journal_to_append_to_but_the_report_reads_it()
    {
        var url = Url("copied.jsonl");
        using (UpgradeJournal.Open(Store(url), Header())) { }
        var text = Text("copied.jsonl");
        _azurite.Container(_container).GetBlobClient("block.jsonl").Upload(new BinaryData(text));

        var ex = Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open(Store(Url("block.jsonl")), Header()));

        Assert.Equal(ErrorIds.NotAJournal, ex.ErrorId);
        Assert.Contains("append blob", ex.Message);
        Assert.Single(JournalReportReader.Read(Url("block.jsonl"), null).Runs);
    }

    [Fact]
    public void A_torn_last_record_is_cut_off_with_the_whole_blob_kept_beside_it()
    {
        var url = Url("torn.jsonl");
        using (var journal = UpgradeJournal.Open(Store(url), Header()))
        {
            journal.WriteSending("u1", "u1@contoso.com");
        }

        var whole = Text("torn.jsonl");
        Blob("torn.jsonl").AppendBlock(new MemoryStream(Encoding.UTF8.GetBytes("{\"type\":\"sending\",\"userId\":\"u2")));

        using (var journal = UpgradeJournal.Open(Store(url), Header()))
        {
            Assert.True(journal.Prior.TornTail);
            Assert.Equal(new[] { "u1" }, journal.Prior.UsersToRecheck);
            journal.WriteSending("u3", "u3@contoso.com");
        }

        var after = Text("torn.jsonl");
        Assert.StartsWith(whole, after);
        Assert.DoesNotContain("\"u2", after);
        Assert.False(JournalState.Read(Store(url)).TornTail);
        var kept = _azurite.Container(_container).GetBlobs(BlobTraits.None, BlobStates.None, "torn.jsonl.torn-", default).Single();
        Assert.EndsWith("\"userId\":\"u2", _azurite.Container(_container).GetBlobClient(kept.Name).DownloadContent().Value.Content.ToString());
    }

    [Fact]
    public void A_journal_past_one_blobs_blocks_goes_on_in_segments_that_resume_the_report_and_the_torn_tail_cut_span()
    {
        var url = Url("long.jsonl");
        var settings = new BlobJournalSettings { BlocksPerSegment = 3 };
        using (var journal = UpgradeJournal.Open(Store(url, settings: settings), Header()))
        {
            for (var i = 1; i <= 6; i++) journal.WriteSending("u" + i, $"u{i}@contoso.com");

            // The run holds the first blob (its lock) and the segment it appends to, with one lease id.
            Assert.Equal(LeaseState.Leased, Blob("long.jsonl").GetProperties().Value.LeaseState);
            Assert.Equal(LeaseState.Available, Blob("long.jsonl.2").GetProperties().Value.LeaseState);
            Assert.Equal(LeaseState.Leased, Blob("long.jsonl.3").GetProperties().Value.LeaseState);
        }

        Assert.Equal(LeaseState.Available, Blob("long.jsonl.3").GetProperties().Value.LeaseState);

        Assert.Equal(3, Blob("long.jsonl").GetProperties().Value.BlobCommittedBlockCount);
        Assert.Equal(3, Blob("long.jsonl.2").GetProperties().Value.BlobCommittedBlockCount);
        Assert.Equal(1, Blob("long.jsonl.3").GetProperties().Value.BlobCommittedBlockCount);
        Blob("long.jsonl.3").AppendBlock(new MemoryStream(Encoding.UTF8.GetBytes("{\"type\":\"sending\",\"userId\":\"u7")));

        using (var journal = UpgradeJournal.Open(Store(url, settings: settings), Header()))
        {
            Assert.True(journal.Resumed);
            Assert.True(journal.Prior.TornTail);
            Assert.Equal(Enumerable.Range(1, 6).Select(i => "u" + i), journal.Prior.UsersToRecheck);
            journal.WriteSending("u8", "u8@contoso.com");
        }

        Assert.DoesNotContain("u7", Text("long.jsonl.3"));
        Assert.Equal(3, Blob("long.jsonl.3").GetProperties().Value.BlobCommittedBlockCount); // u6, then the second run and u8
        Assert.Equal(Enumerable.Range(1, 6).Select(i => "u" + i).Append("u8"), JournalState.Read(Store(url, settings: settings)).UsersToRecheck);
        Assert.Equal(2, JournalReportReader.Read(url, null).Runs.Count);
    }

    [Fact]
    public void A_second_run_waits_one_lease_then_gets_JournalInUse_while_the_first_lives_and_a_report_still_reads_it()
    {
        var url = Url("busy.jsonl");
        using var first = UpgradeJournal.Open(Store(url), Header());
        var clock = new ManualClock(autoAdvance: true);

        var ex = Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open(Store(url, clock), Header()));

        Assert.Equal(ErrorIds.JournalInUse, ex.ErrorId);
        Assert.True(clock.Now >= new BlobJournalSettings().WaitForLease, $"waited {clock.Now}");
        first.WriteSending("u1", "u1@contoso.com");
        // A report needs no lease: it reads the journal while the run holds it.
        Assert.Single(JournalReportReader.Read(url, null).Runs);
    }

    [Fact]
    public void A_job_restarted_while_the_dead_jobs_lease_runs_gets_the_journal_once_it_lapses()
    {
        var url = Url("restart.jsonl");
        using (UpgradeJournal.Open(Store(url), Header())) { }
        var dead = Blob("restart.jsonl").GetBlobLeaseClient();
        dead.Acquire(TimeSpan.FromSeconds(15));
        // Storage's lapse, on the test's clock: the dead job's lease ends once the new job has waited 10 s.
        var clock = new ManualClock(autoAdvance: true);
        var lapsed = false;
        clock.OnDelay = _ =>
        {
            if (!lapsed && clock.Now >= TimeSpan.FromSeconds(10))
            {
                lapsed = true;
                dead.Break(TimeSpan.Zero);
            }
        };

        using var journal = UpgradeJournal.Open(Store(url, clock), Header());

        Assert.True(lapsed);
        Assert.True(journal.Resumed);
    }

    [Fact]
    public void The_lease_is_renewed_on_the_clock_while_the_run_lives()
    {
        var clock = new GatedClock();
        var store = (BlobJournalStore)Store(Url("renew.jsonl"), clock);
        using var lease = (BlobJournalLease)store.OpenForRun();
        Assert.Equal(0, lease.Renewals);

        WaitUntil(() => clock.Waiting == 1);
        clock.Advance(TimeSpan.FromSeconds(5));
        WaitUntil(() => lease.Renewals == 1 && clock.Waiting == 1);
        clock.Advance(TimeSpan.FromSeconds(5));
        WaitUntil(() => lease.Renewals == 2);

        // Renewed with storage (a failed renewal is not counted): the lease is still this run's.
        Assert.Equal(LeaseState.Leased, Blob("renew.jsonl").GetProperties().Value.LeaseState);
    }

    [Fact]
    public void A_run_that_lost_its_lease_stops_with_JournalWriteFailed()
    {
        var url = Url("lost.jsonl");
        using var journal = UpgradeJournal.Open(Store(url), Header());
        Blob("lost.jsonl").GetBlobLeaseClient().Break(TimeSpan.Zero);
        Blob("lost.jsonl").GetBlobLeaseClient().Acquire(TimeSpan.FromSeconds(15));

        var ex = Assert.Throws<E4UpgradeException>(() => journal.WriteSending("u1", "u1@contoso.com"));

        Assert.Equal(ErrorIds.JournalWriteFailed, ex.ErrorId);
        Assert.Contains("lost its lease", ex.Message);
        Assert.DoesNotContain("u1", Text("lost.jsonl"));
    }

    [Fact]
    public void A_SAS_that_may_only_read_is_JournalStorageDenied_and_never_shown()
    {
        using (UpgradeJournal.Open(Store(Url("ro.jsonl")), Header())) { }
        var readOnly = _azurite.SasUrl(_container, "ro.jsonl", BlobContainerSasPermissions.Read);

        var ex = Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open(Store(readOnly), Header()));

        Assert.Equal(ErrorIds.JournalStorageDenied, ex.ErrorId);
        Assert.DoesNotContain("sig=", ex.ToString());
        Assert.Single(JournalReportReader.Read(readOnly, null).Runs);
    }

    [Fact]
    public void A_missing_container_or_a_closed_port_get_their_own_ids()
    {
        var noContainer = _azurite.SasUrl("absent-" + Guid.NewGuid().ToString("N")[..8], "j.jsonl");
        Assert.Equal(ErrorIds.InvalidJournalUrl, Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open(Store(noContainer), Header())).ErrorId);

        var closed = Regex.Replace(Url("j.jsonl"), @"127\.0\.0\.1:\d+", "127.0.0.1:" + AzuriteBlobFixture.ClosedPort());
        var settings = new BlobJournalSettings { StorageRetries = 0 };
        var ex = Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open(Store(closed, settings: settings), Header()));
        Assert.Equal(ErrorIds.JournalStorageUnreachable, ex.ErrorId);
        Assert.DoesNotContain("sig=", ex.ToString());
    }

    private static void WaitUntil(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "the renewal did not happen");
            Thread.Sleep(10);
        }
    }
}

/// <summary>Time that moves only when the test advances it; a wait ends when time passes its end (the renewer's loop).</summary>
internal sealed class GatedClock : IClock
{
    private readonly object _gate = new();
    private readonly List<(TimeSpan Due, TaskCompletionSource Done)> _waits = new();
    private TimeSpan _now;

    public TimeSpan Now
    {
        get { lock (_gate) return _now; }
    }

    /// <summary>Waits not yet ended: a test advances once the code it drives is waiting.</summary>
    public int Waiting
    {
        get { lock (_gate) return _waits.Count; }
    }

    public void Advance(TimeSpan by)
    {
        List<TaskCompletionSource> due;
        lock (_gate)
        {
            _now += by;
            due = _waits.Where(w => w.Due <= _now).Select(w => w.Done).ToList();
            _waits.RemoveAll(w => w.Due <= _now);
        }

        due.ForEach(d => d.TrySetResult());
    }

    public Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waits.Add((_now + delay, done));
        }

        cancellationToken.Register(() => done.TrySetCanceled(cancellationToken));
        return done.Task;
    }
}

/// <summary>
/// One Azurite blob service per test class, on a dynamic loopback port, with a fresh data folder, no telemetry; its
/// well-known development account (https://learn.microsoft.com/azure/storage/common/storage-use-azurite#well-known-storage-account-and-key).
/// </summary>
public sealed class AzuriteBlobFixture : IDisposable
{
    public const string Account = "devstoreaccount1";
    public const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _process;
    private readonly string _data = Path.Combine(Path.GetTempPath(), "e4azurite-" + Guid.NewGuid().ToString("N"));

    public AzuriteBlobFixture()
    {
        Directory.CreateDirectory(_data);
        var azurite = AzuritePath();
        var start = new ProcessStartInfo(azurite)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--blobHost", "127.0.0.1", "--blobPort", "0", "--location", _data, "--silent", "--loose", "--skipApiVersionCheck", "--disableTelemetry" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        var listening = new Regex(@"listens on (http://127\.0\.0\.1:\d+)");
        var deadline = Stopwatch.StartNew();
        string? line;
        while ((line = _process.StandardOutput.ReadLine()) != null)
        {
            var match = listening.Match(line);
            if (match.Success)
            {
                ServiceUri = new Uri(match.Groups[1].Value + "/" + Account);
                break;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(60)) break;
        }

        if (ServiceUri == null)
        {
            Dispose();
            throw new InvalidOperationException("Azurite did not start: " + _process.StandardError.ReadToEnd());
        }

        Service = new BlobServiceClient(ServiceUri, new StorageSharedKeyCredential(Account, Key));
    }

    public Uri ServiceUri { get; } = null!;

    public BlobServiceClient Service { get; } = null!;

    public static string AzuritePath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "E4Upgrade.sln"))) dir = dir.Parent;
        var bin = Path.Combine(dir?.FullName ?? ".", "out", "tools", "azurite", "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite-blob.cmd" : "azurite-blob");
        if (!File.Exists(bin)) throw new InvalidOperationException($"Azurite is not installed at {bin}: run ./build.ps1 TestTools (npm install azurite).");
        return bin;
    }

    public static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public string NewContainer()
    {
        var name = "j" + Guid.NewGuid().ToString("N");
        Service.GetBlobContainerClient(name).Create();
        return name;
    }

    public BlobContainerClient Container(string name) => Service.GetBlobContainerClient(name);

    public string PlainUrl(string container, string blob) => $"{ServiceUri}/{container}/{blob}";

    /// <summary>A container SAS (the torn-tail copy is a second blob in the container): read, add, create, write by default.</summary>
    public string SasUrl(string container, string blob, BlobContainerSasPermissions permissions =
        BlobContainerSasPermissions.Read | BlobContainerSasPermissions.Add | BlobContainerSasPermissions.Create | BlobContainerSasPermissions.Write)
    {
        var sas = new BlobSasBuilder { BlobContainerName = container, Resource = "c", ExpiresOn = DateTimeOffset.UtcNow.AddHours(1) };
        sas.SetPermissions(permissions);
        return PlainUrl(container, blob) + "?" + sas.ToSasQueryParameters(new StorageSharedKeyCredential(Account, Key));
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
