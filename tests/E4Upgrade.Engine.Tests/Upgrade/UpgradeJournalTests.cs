using System.Text;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

public sealed class UpgradeJournalTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4journal-" + Guid.NewGuid().ToString("N"));

    private string PathIn(string name = "run.jsonl") => Path.Combine(_dir, "nested", name);

    private static JournalHeader Header(Guid? target = null, string hash = "h1") => new()
    {
        TenantId = "tenant-1",
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
        Assert.Equal("InvalidArgument", ex.Category);
    }

    [Fact]
    public void A_journal_of_another_tenant_is_refused()
    {
        var path = PathIn();
        using (UpgradeJournal.Open(path, Header())) { }
        var other = Header();
        other.TenantId = "tenant-2";

        Assert.Equal(ErrorIds.JournalMismatch, Assert.Throws<E4UpgradeException>(() => UpgradeJournal.Open(path, other)).ErrorId);
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

        var results = UpgradeJournal.ReadResults(path).ToList();

        Assert.Equal(2, results.Count);
        Assert.Equal(MoveStatus.Moved, results[0].Status);
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

    private static string[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
