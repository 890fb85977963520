using System.Text;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

public sealed class UpgradeJournalTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4journal-" + Guid.NewGuid().ToString("N"));

    private string PathIn(string name = "run.jsonl") => Path.Combine(_dir, "nested", name);

    private const string Tenant1 = "11111111-1111-1111-1111-111111111111";

    private static JournalHeader Header(Guid? target = null, string hash = "h1") => new()
    {
        TenantId = Tenant1,
        SourceSku = "ENTERPRISEWITHSCAL",
        SourceSkuId = TestSkus.E4Id,
        TargetSku = "ENTERPRISEPREMIUM",
        TargetSkuId = target ?? TestSkus.E5Id,
        OptionsHash = hash,
        Started = DateTimeOffset.UtcNow,
    };

    private static MoveResult Result(string id, MoveStatus status) => new() { UserId = id, UserPrincipalName = id + "@contoso.com", Status = status, Attempts = 1 };

    [Fact]
    public void Each_record_is_on_disk_when_the_call_returns()
    {
        var path = PathIn();
        using var journal = UpgradeJournal.Open(path, Header());
        journal.WriteSending("u1", "u1@contoso.com");

        // Read through a separate handle while the journal is still open: the record is already in the file.
        var lines = ReadShared(path);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"type\":\"run\"", lines[0]);
        Assert.Contains("\"type\":\"sending\"", lines[1]);
        Assert.Contains("\"userId\":\"u1\"", lines[1]);
    }

    [Fact]
    public void Resume_skips_finished_users_and_rechecks_users_with_only_an_intent()
    {
        var path = PathIn();
        using (var journal = UpgradeJournal.Open(path, Header()))
        {
            journal.WriteSending("moved", null);
            journal.WriteResult(Result("moved", MoveStatus.Moved));
            journal.WriteSending("already", null);
            journal.WriteResult(Result("already", MoveStatus.AlreadyMoved));
            journal.WriteSending("failed", null);
            journal.WriteResult(Result("failed", MoveStatus.Failed));
            journal.WriteSending("intent-only", null);
            journal.WriteResult(Result("skipped-no-write", MoveStatus.Skipped));
        }

        using var resumed = UpgradeJournal.Open(path, Header());

        Assert.True(resumed.Resumed);
        Assert.True(resumed.Prior.IsDone("moved"));
        Assert.True(resumed.Prior.IsDone("ALREADY"));
        Assert.False(resumed.Prior.IsDone("failed"));
        Assert.False(resumed.Prior.IsDone("intent-only"));
        // A failure after a write was sent (cancelled, unknown answer) is re-read too: the write may have landed.
        Assert.Equal(new[] { "failed", "intent-only" }, resumed.Prior.UsersToRecheck.OrderBy(u => u));
        Assert.Equal(2, resumed.Prior.DoneUsers);
        Assert.False(resumed.OptionsChanged);
    }

    [Fact]
    public void A_torn_last_line_is_ignored_and_cut_off_before_appending()
    {
        var path = PathIn();
        using (var journal = UpgradeJournal.Open(path, Header()))
        {
            journal.WriteSending("u1", null);
            journal.WriteResult(Result("u1", MoveStatus.Moved));
        }

        // A kill in the middle of writing the next record.
        File.AppendAllText(path, "{\"type\":\"result\",\"userId\":\"u2\",\"sta");

        var state = JournalState.Read(path);
        Assert.True(state.TornTail);
        Assert.True(state.IsDone("u1"));
        Assert.False(state.IsDone("u2"));

        using (var journal = UpgradeJournal.Open(path, Header()))
        {
            journal.WriteSending("u3", null);
        }

        var lines = ReadShared(path);
        Assert.DoesNotContain(lines, l => l.Contains("\"sta") && !l.Contains("\"status\"") && l.Contains("u2"));
        var again = JournalState.Read(path);
        Assert.False(again.TornTail);
        Assert.Equal(2, again.Runs);
        Assert.Equal(new[] { "u3" }, again.UsersToRecheck);
    }

    [Fact]
    public void A_broken_line_before_the_end_is_reported_as_corrupt()
    {
        var path = PathIn();
        using (var journal = UpgradeJournal.Open(path, Header()))
        {
            journal.WriteSending("u1", null);
        }

        File.AppendAllText(path, "not json\n{\"type\":\"sending\",\"userId\":\"u2\"}\n");

        var ex = Assert.Throws<E4UpgradeException>(() => JournalState.Read(path));
        Assert.Equal(ErrorIds.JournalCorrupt, ex.ErrorId);
    }

    [Fact]
    public void A_journal_of_another_target_is_refused()
    {
        var path = PathIn();
        using (UpgradeJournal.Open(path, Header())) { }

        var ex = Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open(path, Header(target: TestSkus.E3Id)));

        Assert.Equal(ErrorIds.JournalMismatch, ex.ErrorId);
        Assert.Equal(ErrorCategoryNames.InvalidArgument, ex.Category);
    }

    [Fact]
    public void A_journal_of_another_tenant_is_refused()
    {
        var path = PathIn();
        using (UpgradeJournal.Open(path, Header())) { }
        var other = Header();
        other.TenantId = "22222222-2222-2222-2222-222222222222";

        var ex = Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open(path, other));
        Assert.Equal(ErrorIds.JournalOtherTenant, ex.ErrorId);
        Assert.Contains(Tenant1, ex.Message);
    }

    [Theory]
    [InlineData("11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222", ErrorIds.JournalOtherTenant)]
    [InlineData("11111111-1111-1111-1111-111111111111", "{11111111-1111-1111-1111-111111111111}", null)]
    [InlineData("contoso.onmicrosoft.com", "11111111-1111-1111-1111-111111111111", ErrorIds.JournalWithoutTenantId)]
    [InlineData(null, "11111111-1111-1111-1111-111111111111", ErrorIds.JournalWithoutTenantId)]
    [InlineData("", "11111111-1111-1111-1111-111111111111", ErrorIds.JournalWithoutTenantId)]
    [InlineData("00000000-0000-0000-0000-000000000000", "11111111-1111-1111-1111-111111111111", ErrorIds.JournalWithoutTenantId)]
    public void A_journal_is_continued_only_with_the_same_tenant_id(string? written, string session, string? refusal)
    {
        var path = PathIn();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, RunLine(written) + "\n");
        var header = Header();
        header.TenantId = session;

        if (refusal == null)
        {
            using var journal = UpgradeJournal.Open(path, header);
            Assert.True(journal.Resumed);
            return;
        }

        var before = File.ReadAllBytes(path);
        Assert.Equal(refusal, Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open(path, header)).ErrorId);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("contoso.onmicrosoft.com")]
    public void A_run_without_a_tenant_id_opens_no_journal(string? session)
    {
        var path = PathIn();
        var header = Header();
        header.TenantId = session;

        Assert.Equal(ErrorIds.JournalWithoutTenantId, Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open(path, header)).ErrorId);
        Assert.False(File.Exists(path));
    }

    /// <summary>A run record as an older version wrote it (no format marker), with the given tenant.</summary>
    private static string RunLine(string? tenant) =>
        "{\"type\":\"run\",\"at\":\"2026-01-01T00:00:00+00:00\",\"version\":1" + (tenant == null ? "" : ",\"tenant\":\"" + tenant + "\"") +
        ",\"sourceSku\":\"ENTERPRISEWITHSCAL\",\"sourceSkuId\":\"" + TestSkus.E4Id + "\",\"targetSku\":\"ENTERPRISEPREMIUM\",\"targetSkuId\":\"" + TestSkus.E5Id + "\",\"optionsHash\":\"h1\"}";

    [Fact]
    public void A_second_open_of_a_journal_in_use_fails_at_once_with_JournalInUse()
    {
        var path = PathIn();
        using var first = UpgradeJournal.Open(path, Header());
        first.WriteSending("u1", null);

        var ex = Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open(path, Header()));

        Assert.Equal(ErrorIds.JournalInUse, ex.ErrorId);
        Assert.Equal(ErrorCategoryNames.ResourceBusy, ex.Category);
        if (OperatingSystem.IsLinux())
        {
            Assert.Contains($"another run in this process, {Environment.ProcessId}", ex.Message);
        }

        // The refused open changed nothing: the first run's records are intact and it keeps writing.
        first.WriteSending("u2", null);
        Assert.Equal(3, ReadShared(path).Length);
        if (OperatingSystem.IsLinux())
        {
            // The lock binds writers only: a plain .NET reader (Get-Content) still reads a journal in use.
            Assert.Equal(3, File.ReadAllLines(path).Length);
        }
    }

    [Fact]
    public void The_journal_is_free_again_once_the_run_ends()
    {
        var path = PathIn();
        using (UpgradeJournal.Open(path, Header())) { }

        using var again = UpgradeJournal.Open(path, Header());
        Assert.True(again.Resumed);
    }

    [Fact]
    public void Writes_go_to_the_end_of_the_file_in_append_mode()
    {
        var path = PathIn();
        using var journal = UpgradeJournal.Open(path, Header());
        var length = new FileInfo(path).Length;

        journal.WriteSending("u1", null);

        var lines = ReadShared(path);
        Assert.Equal(2, lines.Length);
        Assert.True(new FileInfo(path).Length > length);
    }

    [Fact]
    public void A_journal_path_that_is_a_symbolic_link_is_refused_and_its_target_untouched()
    {
        if (OperatingSystem.IsWindows()) return; // creating links needs a privilege there; the reparse-point check is the same rule
        var target = PathIn("elsewhere.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, "not yours\n");
        var link = PathIn("link.jsonl");
        File.CreateSymbolicLink(link, target);

        var ex = Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open(link, Header()));

        Assert.Equal(ErrorIds.JournalIsLink, ex.ErrorId);
        Assert.Equal("not yours\n", File.ReadAllText(target));
    }

    [Fact]
    public void A_journal_folder_that_cannot_be_written_is_JournalNotWritable_not_a_raw_exception()
    {
        if (!OperatingSystem.IsLinux()) return;
        // sysfs refuses new files even to root, as a read-only or foreign folder refuses them to an admin.
        var ex = Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open("/sys/e4upgrade-journal-test.jsonl", Header()));

        Assert.Equal(ErrorIds.JournalNotWritable, ex.ErrorId);
        Assert.Equal(ErrorCategoryNames.PermissionDenied, ex.Category);
        Assert.False(File.Exists("/sys/e4upgrade-journal-test.jsonl"));
    }

    [Fact]
    public void A_folder_that_cannot_be_created_is_JournalNotWritable()
    {
        if (!OperatingSystem.IsLinux()) return;
        var ex = Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open("/sys/e4upgrade-folder/run.jsonl", Header()));

        Assert.Equal(ErrorIds.JournalNotWritable, ex.ErrorId);
    }

    [Fact]
    public void A_full_disk_stops_writing_with_JournalWriteFailed_and_leaves_the_journal_resumable()
    {
        var path = PathIn();
        using (var journal = UpgradeJournal.Open(path, Header()))
        {
            journal.WriteSending("u1", null);
            journal.WriteResult(Result("u1", MoveStatus.Moved));
        }

        var goodLength = new FileInfo(path).Length;
        using (var disk = new FullDiskStream(new FileStream(path, FileMode.Open, FileAccess.ReadWrite), spaceLeft: 10))
        {
            disk.Seek(0, SeekOrigin.End);
            var journal = UpgradeJournal.OpenOn(disk, path);

            var ex = Assert.Throws<E4UpgradeException>(() => journal.WriteSending("u2", null));
            Assert.Equal(ErrorIds.JournalWriteFailed, ex.ErrorId);
            Assert.Equal(ErrorCategoryNames.WriteError, ex.Category);
            Assert.Contains("No space left", ex.Message);

            // Nothing is written after a failed record, even once space is back: it would sit after a gap.
            disk.SpaceLeft = long.MaxValue;
            Assert.Equal(ErrorIds.JournalWriteFailed, Assert.Throws<E4UpgradeException>(() => journal.WriteSending("u3", null)).ErrorId);
        }

        Assert.Equal(goodLength, new FileInfo(path).Length);
        using var resumed = UpgradeJournal.Open(path, Header());
        Assert.True(resumed.Prior.IsDone("u1"));
        Assert.Empty(resumed.Prior.UsersToRecheck);
    }

    /// <summary>A file that runs out of space: the write that crosses the limit lands partly, then fails as ENOSPC does.</summary>
    private sealed class FullDiskStream : Stream
    {
        private readonly FileStream _inner;

        public FullDiskStream(FileStream inner, long spaceLeft)
        {
            _inner = inner;
            SpaceLeft = spaceLeft;
        }

        public long SpaceLeft { get; set; }
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => true;
        public override long Length => _inner.Length;
        public override long Position { get => _inner.Position; set => _inner.Position = value; }
        public override void Flush() => _inner.Flush(true);
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);
        public override void SetLength(long value) => _inner.SetLength(value);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (count <= SpaceLeft)
            {
                SpaceLeft -= count;
                _inner.Write(buffer, offset, count);
                return;
            }

            _inner.Write(buffer, offset, (int)SpaceLeft);
            _inner.Flush(true);
            SpaceLeft = 0;
            throw new IOException("No space left on device");
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }

    [Fact]
    public void Changed_options_are_flagged_not_refused()
    {
        var path = PathIn();
        using (UpgradeJournal.Open(path, Header(hash: "a"))) { }

        using var journal = UpgradeJournal.Open(path, Header(hash: "b"));

        Assert.True(journal.OptionsChanged);
    }

    [Fact]
    public void Group_stages_are_remembered()
    {
        var path = PathIn();
        using (var journal = UpgradeJournal.Open(path, Header()))
        {
            journal.WriteGroupSwapSending("g-sending", "G1");
            journal.WriteGroupSwapSending("g-sent", "G2");
            journal.WriteGroupSwapSent("g-sent", "G2", true, null);
            journal.WriteGroupSwapSending("g-done", "G3");
            journal.WriteGroupSwapSent("g-done", "G3", true, null);
            journal.WriteGroupVerified("g-done", "G3", 5, 0, timedOut: false);
            journal.WriteGroupSwapSending("g-failed", "G4");
            journal.WriteGroupSwapSent("g-failed", "G4", false, "HTTP 400");
        }

        var state = JournalState.Read(path);

        Assert.Equal(GroupJournalStage.SwapSending, state.GroupStage("g-sending"));
        Assert.Equal(GroupJournalStage.Verified, state.GroupStage("g-done"));
        Assert.Equal(GroupJournalStage.SwapFailed, state.GroupStage("g-failed"));
        Assert.Equal(new[] { "g-sending", "g-sent" }, state.GroupsToVerify.Select(g => g.Key).OrderBy(k => k));
    }

    [Fact]
    public void Results_are_read_back_for_passthru_and_no_secret_field_exists()
    {
        var path = PathIn();
        using (var journal = UpgradeJournal.Open(path, Header()))
        {
            journal.WriteSending("u1", "u1@contoso.com");
            journal.WriteResult(new MoveResult { UserId = "u1", UserPrincipalName = "u1@contoso.com", Status = MoveStatus.Moved, DroppedPlans = new[] { "MCOVOICECONF" }, Attempts = 2 });
            journal.WriteMemberResult(new MoveResult { UserId = "u2", Status = MoveStatus.Failed, Reason = ErrorIds.InsufficientLicenses, GroupId = "g1" });
        }

        var results = E4Upgrade.Engine.Reporting.JournalReportReader.Read(path).Records;

        Assert.Equal(2, results.Count);
        Assert.Equal(nameof(MoveStatus.Moved), results[0].Status);
        Assert.Equal(new[] { "MCOVOICECONF" }, results[0].DroppedPlans);
        Assert.Equal(2, results[0].Attempts);
        Assert.Equal("g1", results[1].GroupId);
        Assert.Equal(ErrorIds.InsufficientLicenses, results[1].Reason);
        var text = string.Join("\n", ReadShared(path));
        Assert.DoesNotContain("token", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secret", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_file_is_readable_by_its_owner_only_on_unix()
    {
        if (OperatingSystem.IsWindows()) return;
        var path = PathIn();
        using (UpgradeJournal.Open(path, Header())) { }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void An_existing_file_with_wider_permissions_is_narrowed()
    {
        if (OperatingSystem.IsWindows()) return;
        var path = PathIn();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using (UpgradeJournal.Open(path, Header())) { }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Default_path_is_under_the_users_data_folder()
    {
        var path = UpgradeJournal.DefaultPath("contoso.onmicrosoft.com", "ENTERPRISEWITHSCAL", "SPE_E5");

        Assert.StartsWith(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), path);
        Assert.EndsWith(Path.Combine("E4Upgrade", "journals", "contoso.onmicrosoft.com-ENTERPRISEWITHSCAL-SPE_E5.jsonl"), path);
    }

    // Through the journal's own reader, which takes no lock: a .NET FileStream would ask for a shared flock on Unix
    // and be refused while a run holds the journal.
    private static string[] ReadShared(string path)
    {
        using var stream = JournalFile.OpenForReading(path);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
