using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using E4Upgrade.Engine.Reporting;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>
/// A -JournalPath that points at something else is refused and left as it was; only regular files; bounded records;
/// a full disk is reported as JournalWriteFailed and the journal really is cut back (issue 18 items 4, 5, 12, 14).
/// </summary>
public sealed class JournalSafetyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4safety-" + Guid.NewGuid().ToString("N"));

    public JournalSafetyTests() => Directory.CreateDirectory(_dir);

    private string PathIn(string name) => Path.Combine(_dir, name);

    private static JournalHeader Header() => new()
    {
        TenantId = "11111111-1111-1111-1111-111111111111",
        SourceSku = "ENTERPRISEWITHSCAL",
        SourceSkuId = TestSkus.E4Id,
        TargetSku = "ENTERPRISEPREMIUM",
        TargetSkuId = TestSkus.E5Id,
        OptionsHash = "h1",
        Started = DateTimeOffset.UtcNow,
    };

    [Theory]
    [InlineData("{\"name\":\"settings\",\"value\":1}")] // JSON without a trailing newline: was cut to 0 bytes
    [InlineData("{\"type\":\"info\",\"msg\":\"started\"}\n{\"type\":\"info\",\"msg\":\"done\"}\n")] // a JSON-lines log: was adopted
    [InlineData("{\"type\":\"run\",\"at\":\"2026-01-01T00:00:00Z\"}\n")] // a run record without the marker or the SKUs
    [InlineData("just some notes\n")]
    [InlineData("\n\n")]
    public void A_file_that_is_not_a_journal_is_refused_and_left_byte_for_byte_and_mode_for_mode(string content)
    {
        var path = PathIn("notes.json");
        File.WriteAllText(path, content, new UTF8Encoding(false));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var mode = OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(path);

        var ex = Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open(path, Header()));

        Assert.Equal(ErrorIds.NotAJournal, ex.ErrorId);
        Assert.Contains("not changed", ex.Message);
        Assert.Equal(Encoding.UTF8.GetBytes(content), File.ReadAllBytes(path));
        if (!OperatingSystem.IsWindows()) Assert.Equal(mode, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_first_record_torn_in_its_first_write_is_a_journal_and_cut_off()
    {
        var path = PathIn("torn.jsonl");
        File.WriteAllText(path, "{\"type\":\"run\",\"format\":\"" + JournalFormat.Marker + "\",\"at\":\"2026-", new UTF8Encoding(false));

        using (var journal = UpgradeJournal.Open(path, Header()))
        {
            Assert.False(journal.Resumed);
        }

        var state = JournalState.Read(path);
        Assert.Equal(1, state.Runs);
        Assert.False(state.TornTail);
    }

    [Fact]
    public void A_new_journal_starts_with_the_format_marker()
    {
        var path = PathIn("new.jsonl");
        using (UpgradeJournal.Open(path, Header())) { }

        Assert.StartsWith("{\"type\":\"run\",\"format\":\"E4Upgrade.Journal\"", File.ReadAllLines(path)[0]);
    }

    [Fact]
    public void A_character_device_is_refused_by_the_resume_read_and_the_report()
    {
        // Read-only opens of /dev/zero only: a run's open of a shared device, should the check regress, could chmod it for the
        // whole machine (the run's refusal of a non-regular file is proved on a FIFO of this test's own, below).
        if (OperatingSystem.IsWindows()) return;

        Assert.Equal(ErrorIds.NotAJournal, Assert.Throws<E4UpgradeException>(() => JournalState.Read("/dev/zero")).ErrorId);
        Assert.Equal(ErrorIds.NotAJournal, Assert.Throws<E4UpgradeException>(() => JournalReportReader.Read("/dev/zero")).ErrorId);
    }

    [Fact]
    public void A_FIFO_is_refused_at_once_without_waiting_for_a_writer()
    {
        if (OperatingSystem.IsWindows()) return;
        var path = PathIn("pipe");
        Assert.Equal(0, mkfifo(path, 0x180));

        var report = Task.Run(() => Assert.Throws<E4UpgradeException>(() => JournalReportReader.Read(path)).ErrorId);
        var run = Task.Run(() => Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open(path, Header())).ErrorId);

        // Bounded so that the old behaviour (a read blocked for ever on the FIFO) fails the test instead of hanging it.
        Assert.True(Task.WaitAll(new Task[] { report, run }, TimeSpan.FromSeconds(20)), "opening a FIFO blocked");
        Assert.Equal(ErrorIds.NotAJournal, report.Result);
        Assert.Equal(ErrorIds.NotAJournal, run.Result);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_line_longer_than_any_record_is_JournalCorrupt_for_the_run_and_the_report()
    {
        var path = PathIn("long.jsonl");
        using (var journal = UpgradeJournal.Open(path, Header()))
        {
            journal.WriteSending("u1", null);
        }

        File.AppendAllText(path, new string('x', JournalFormat.MaxRecordBytes + 10));
        var length = new FileInfo(path).Length;

        Assert.Equal(ErrorIds.JournalCorrupt, Assert.Throws<E4UpgradeException>(() => JournalReportReader.Read(path)).ErrorId);
        Assert.Equal(ErrorIds.JournalCorrupt, Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open(path, Header())).ErrorId);
        Assert.Equal(length, new FileInfo(path).Length);
    }

    [Fact]
    public void A_NUL_in_the_path_is_InvalidJournalPath_not_an_ArgumentException()
    {
        var path = PathIn("a\0b.jsonl");

        Assert.Equal(ErrorIds.InvalidJournalPath, Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open(path, Header())).ErrorId);
        Assert.Equal(ErrorIds.InvalidJournalPath, Assert.Throws<E4UpgradeException>(() => JournalReportReader.Read(path)).ErrorId);
        Assert.Equal(ErrorIds.InvalidJournalPath, Assert.Throws<E4UpgradeException>(() => JournalState.Read(path)).ErrorId);
        Assert.False(File.Exists(PathIn("a")));
    }

    [Fact]
    public void A_failed_write_that_cannot_be_cut_back_says_so_and_Dispose_does_not_throw()
    {
        // A stream as a buffered FileStream on a full disk behaves: the write fails, and so do SetLength and Dispose.
        var stream = new BrokenDiskStream();
        var journal = UpgradeJournal.OpenOn(stream, "j.jsonl");

        var ex = Assert.Throws<E4UpgradeException>(() => journal.WriteSending("u1", null));
        journal.Dispose();

        Assert.Equal(ErrorIds.JournalWriteFailed, ex.ErrorId);
        Assert.Contains("could not be cut back", ex.Message);
        Assert.DoesNotContain("was cut back", ex.Message);
    }

    [Fact]
    public void The_run_writes_the_journal_without_a_write_buffer()
    {
        // A buffered stream would hold a failed record in memory and fail again at Dispose (issue 18 item 5).
        var path = PathIn("unbuffered.jsonl");
        using var lease = new FileJournalStore(path).OpenForRun();
        var bytes = Encoding.UTF8.GetBytes("x");

        lease.Stream.Write(bytes, 0, bytes.Length);

        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Assert.Equal(1, reader.Length);
    }

    [Fact]
    public void JournalInUse_names_the_process_that_holds_the_journal_and_not_this_one()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64 || !File.Exists("/usr/bin/perl")) return;
        var path = PathIn("held.jsonl");
        using (UpgradeJournal.Open(path, Header())) { }

        // Another process takes a POSIX write lock on the whole file (struct flock of x86_64: short, short, pad, off_t, off_t, pid_t, pad).
        var script = "use Fcntl; $| = 1; open(my $f, '+<', $ARGV[0]) or die; my $l = pack('s s x4 q q i x4', F_WRLCK, 0, 0, 0, 0); fcntl($f, F_SETLKW, $l) or die; print \"locked\\n\"; <STDIN>;";
        using var holder = Process.Start(new ProcessStartInfo("/usr/bin/perl") { ArgumentList = { "-e", script, path }, RedirectStandardOutput = true, RedirectStandardInput = true })!;
        try
        {
            Assert.Equal("locked", holder.StandardOutput.ReadLine());

            var ex = Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open(path, Header()));

            Assert.Equal(ErrorIds.JournalInUse, ex.ErrorId);
            Assert.Contains($"process {holder.Id}", ex.Message);
            Assert.DoesNotContain("in this process", ex.Message);
        }
        finally
        {
            holder.Kill();
        }
    }

    [Fact]
    public void A_second_run_in_this_process_is_named_as_one()
    {
        if (!OperatingSystem.IsLinux()) return;
        var path = PathIn("twice.jsonl");
        using var first = UpgradeJournal.Open(path, Header());

        var ex = Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open(path, Header()));

        Assert.Equal(ErrorIds.JournalInUse, ex.ErrorId);
        Assert.Contains($"another run in this process, {Environment.ProcessId}", ex.Message);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int mkfifo(string path, int mode);

    private sealed class BrokenDiskStream : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("No space left on device");
        public override void SetLength(long value) => throw new IOException("No space left on device");
        protected override void Dispose(bool disposing) => throw new IOException("No space left on device");
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
