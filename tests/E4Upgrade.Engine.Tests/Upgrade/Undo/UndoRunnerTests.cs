using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Reporting;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade.Undo;

/// <summary>
/// Upgrade a tenant (the simulator's licensing model in process), undo it from the journal, and compare every user's and
/// group's licenses with the start: nobody unlicensed, each user written once by the run and once by the undo.
/// </summary>
public sealed class UndoRunnerTests : IDisposable
{
    private const string TenantId = "11111111-1111-1111-1111-111111111111";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "e4undo-" + Guid.NewGuid().ToString("N"));

    private string JournalPath => Path.Combine(_dir, "journal.jsonl");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static FakeTenant Tenant(int direct = 30, int members = 6)
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E4());
        tenant.Skus.Add(TestSkus.E5());
        for (var i = 0; i < direct; i++)
        {
            var user = tenant.AddUser($"direct{i}@contoso.com", TestSkus.E4Id);
            if (i % 3 == 0) user.Direct[TestSkus.E4Id].Add(TestSkus.Plan("FORMS_PLAN_E3"));
            if (i % 4 == 0) user.Direct[TestSkus.E4Id].Add(TestSkus.Plan("SWAY"));
        }

        if (members > 0)
        {
            var people = Enumerable.Range(0, members).Select(i => tenant.AddUser($"member{i}@contoso.com")).ToList();
            tenant.AddGroup("E4 staff", TestSkus.E4Id, people, TestSkus.Plan("MCOVOICECONF"));
        }

        return tenant;
    }

    private async Task UpgradeAsync(FakeTenant tenant)
    {
        var summary = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(new UpgradeOptions
        {
            TargetSku = "ENTERPRISEPREMIUM",
            TenantId = TenantId,
            JournalPath = JournalPath,
            GroupPollInterval = TimeSpan.FromMilliseconds(5),
            GroupProcessingTimeout = TimeSpan.FromSeconds(10),
        }, null, CancellationToken.None);
        Assert.True(summary.Succeeded);
    }

    private Task<UndoSummary> UndoAsync(FakeTenant tenant, Action<UndoOptions>? change = null, Recorder? recorder = null, CancellationToken cancellationToken = default)
    {
        var options = new UndoOptions { JournalPath = JournalPath, TenantId = TenantId };
        change?.Invoke(options);
        return new UndoRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(options, recorder, cancellationToken);
    }

    /// <summary>Every user's and group's licenses, one line each: SKU, how (direct or which group), disabled plans, state.</summary>
    private static SortedDictionary<string, string> Licenses(FakeTenant tenant)
    {
        // Group changes reach members as Entra processes them: a listing lets the model apply them (GroupProcessingPolls).
        foreach (var group in tenant.Groups.Values)
        {
            _ = tenant.ListGroupMembersAsync(group.Id, CancellationToken.None).ToBlockingEnumerable().ToList();
            _ = tenant.ListGroupMembersAsync(group.Id, CancellationToken.None).ToBlockingEnumerable().ToList();
        }

        var view = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var user in tenant.Users.Values)
        {
            view[user.Upn] = string.Join(" | ", user.Snapshot().AssignmentStates
                .Select(s => $"{s.SkuId}/{s.AssignedByGroup ?? "direct"}/{string.Join(",", s.DisabledPlans.OrderBy(p => p))}/{s.State}/{s.Error}")
                .OrderBy(s => s, StringComparer.Ordinal));
        }

        foreach (var group in tenant.Groups.Values)
        {
            view["group " + group.Name] = string.Join(" | ", group.Licenses.Select(l => $"{l.Key}/{string.Join(",", l.Value.OrderBy(p => p))}").OrderBy(s => s, StringComparer.Ordinal));
        }

        return view;
    }

    [Fact]
    public async Task A_target_the_user_held_before_the_run_is_back_as_it_was_after_the_undo()
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E4());
        tenant.Skus.Add(TodaysSkus.E5NoTeams());
        var teams = TodaysSkus.TeamsEnterprise();
        tenant.Skus.Add(teams);
        var teamsPlan = teams.ServicePlans.First().ServicePlanId;
        for (var i = 0; i < 6; i++)
        {
            var user = i % 2 == 0 ? tenant.AddUser($"teams{i}@contoso.com", TestSkus.E4Id, teams.SkuId) : tenant.AddUser($"plain{i}@contoso.com", TestSkus.E4Id);
            if (i % 2 == 0) user.Direct[teams.SkuId].Add(teamsPlan);
        }

        var start = Licenses(tenant);
        var summary = await new UpgradeRunner(tenant, UpgradeRunnerTests.FastEngine()).RunAsync(new UpgradeOptions
        {
            TargetSkus = new[] { "Microsoft_365_E5_(no_Teams)", "Microsoft_Teams_Enterprise_New" },
            TenantId = TenantId,
            JournalPath = JournalPath,
        }, null, CancellationToken.None);
        Assert.True(summary.Succeeded);

        var undo = await UndoAsync(tenant);

        Assert.Equal(6, undo.Undone);
        Assert.Equal(start, Licenses(tenant));
        Assert.Empty(tenant.EverUnlicensed);
    }

    [Fact]
    public async Task Upgrade_then_undo_leaves_every_user_and_group_as_at_the_start_and_nobody_unlicensed()
    {
        var tenant = Tenant();
        var start = Licenses(tenant);
        await UpgradeAsync(tenant);
        Assert.NotEqual(start, Licenses(tenant));
        var recorder = new Recorder();

        var summary = await UndoAsync(tenant, recorder: recorder);

        Assert.Equal(start, Licenses(tenant));
        Assert.Equal(30, summary.Undone - summary.Groups);
        Assert.Equal(1, summary.Groups);
        Assert.Equal(0, summary.Skipped + summary.Failed);
        Assert.True(summary.Succeeded);
        Assert.Empty(tenant.EverUnlicensed);
        // Each direct user: one write by the run, one by the undo; group members never directly.
        Assert.Equal(30, tenant.LicenseWrites.Count);
        Assert.All(tenant.LicenseWrites.Values, n => Assert.Equal(2, n));
        Assert.Equal(2, tenant.GroupWrites);
        var sway = recorder.Results.Single(r => r.Name == "direct0@contoso.com");
        Assert.Equal(UndoStatus.Undone, sway.Status);
        Assert.Equal(new[] { "FORMS_PLAN_E3", "SWAY" }, sway.DisabledPlans.OrderBy(p => p));
    }

    [Fact]
    public async Task A_user_changed_after_the_run_is_skipped_and_left_as_it_is()
    {
        var tenant = Tenant(direct: 5, members: 0);
        await UpgradeAsync(tenant);
        var changed = tenant.Users.Values.Single(u => u.Upn == "direct1@contoso.com");
        changed.Direct[TestSkus.E5Id].Add(TestSkus.E5().ServicePlans.Single(p => p.ServicePlanName == "SWAY").ServicePlanId);
        var before = changed.Snapshot();
        var recorder = new Recorder();

        var summary = await UndoAsync(tenant, recorder: recorder);

        Assert.Equal(4, summary.Undone);
        Assert.Equal(1, summary.Skipped);
        var skipped = recorder.Results.Single(r => r.Status == UndoStatus.Skipped);
        Assert.Equal(changed.Id, skipped.Id);
        Assert.Equal(ErrorIds.UndoChangedSinceRun, skipped.Reason);
        Assert.Contains("now also disabled: SWAY", skipped.Message);
        Assert.Equal(1, tenant.LicenseWrites[changed.Id]);
        Assert.True(changed.Holds(TestSkus.E5Id));
        Assert.Equal(before.AssignedLicenses.Single().DisabledPlans, changed.Snapshot().AssignedLicenses.Single().DisabledPlans);
    }

    [Fact]
    public async Task A_user_changed_while_the_undo_runs_is_read_again_before_its_write_and_left_alone()
    {
        var tenant = Tenant(direct: 30, members: 0);
        await UpgradeAsync(tenant);
        // The last user the run journaled as moved: the undo takes users in that order, so it is in the second batch of 20.
        var lastMoved = File.ReadLines(JournalPath).Where(l => l.Contains("\"type\":\"result\"")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("userId").GetString()).Last();
        var late = tenant.Users[lastMoved!];
        var changedAt = -1;
        // A plan no other plan depends on, which the run left enabled for this user.
        var enabled = new[] { "SWAY", "FORMS_PLAN_E5" }.Select(n => TestSkus.E5().ServicePlans.Single(p => p.ServicePlanName == n).ServicePlanId)
            .First(id => !late.Direct[TestSkus.E5Id].Contains(id));
        tenant.AfterWrite = _ =>
        {
            tenant.AfterWrite = null;
            changedAt = tenant.TotalWrites;
            late.Direct[TestSkus.E5Id].Add(enabled);
        };
        var recorder = new Recorder();

        var summary = await UndoAsync(tenant, recorder: recorder);

        Assert.Equal(31, changedAt); // the first write of the undo
        Assert.Equal(29, summary.Undone);
        var skipped = recorder.Results.Single(r => r.Status == UndoStatus.Skipped);
        Assert.Equal(late.Id, skipped.Id);
        Assert.Equal(ErrorIds.UndoChangedSinceRun, skipped.Reason);
        Assert.Equal(1, tenant.LicenseWrites[late.Id]);
        Assert.True(late.Holds(TestSkus.E5Id));
    }

    [Fact]
    public async Task Too_few_free_source_seats_block_the_undo_before_any_write_or_journal_record()
    {
        var tenant = Tenant(direct: 10, members: 0);
        await UpgradeAsync(tenant);
        tenant.Skus[0].EnabledUnits = 4;
        var journalBefore = File.ReadAllBytes(JournalPath);
        var writes = tenant.TotalWrites;

        var ex = await Assert.ThrowsAsync<E4UpgradeException>(() => UndoAsync(tenant));

        Assert.Equal(ErrorIds.InsufficientSourceSeats, ex.ErrorId);
        Assert.Contains("4 free seats", ex.Message);
        Assert.Contains("needs 10", ex.Message);
        Assert.Equal(writes, tenant.TotalWrites);
        Assert.Equal(journalBefore, File.ReadAllBytes(JournalPath));
    }

    [Fact]
    public async Task A_subset_by_upn_or_id_reverses_only_those_users_and_names_one_the_run_did_not_move()
    {
        var tenant = Tenant(direct: 6, members: 3);
        await UpgradeAsync(tenant);
        var byId = tenant.Users.Values.Single(u => u.Upn == "direct2@contoso.com");
        var recorder = new Recorder();

        var summary = await UndoAsync(tenant, o => o.Users = new[] { "DIRECT1@contoso.com", byId.Id, "nobody@contoso.com" }, recorder);

        Assert.Equal(2, summary.Undone);
        Assert.Equal(1, summary.Skipped);
        Assert.Equal(ErrorIds.UndoNotMovedByRun, recorder.Results.Single(r => r.Status == UndoStatus.Skipped).Reason);
        Assert.Equal(new[] { "direct1@contoso.com", "direct2@contoso.com" }, tenant.Users.Values.Where(u => u.Holds(TestSkus.E4Id) && u.Upn.StartsWith("direct")).Select(u => u.Upn).OrderBy(u => u));
        Assert.Equal(1, tenant.GroupWrites); // the group was not named: left on the target
    }

    [Fact]
    public async Task WhatIf_reports_the_plan_and_writes_nothing_not_even_the_journal()
    {
        var tenant = Tenant(direct: 4, members: 2);
        await UpgradeAsync(tenant);
        var journalBefore = File.ReadAllBytes(JournalPath);
        var writes = (tenant.TotalWrites, tenant.GroupWrites);
        var recorder = new Recorder();

        var summary = await UndoAsync(tenant, o => o.PlanOnly = true, recorder);

        Assert.Equal(5, summary.WouldUndo);
        Assert.Null(summary.RunId);
        Assert.All(recorder.Results, r => Assert.Equal(UndoStatus.WouldUndo, r.Status));
        Assert.Equal(writes, (tenant.TotalWrites, tenant.GroupWrites));
        Assert.Equal(journalBefore, File.ReadAllBytes(JournalPath));
    }

    [Fact]
    public async Task A_stopped_undo_is_continued_by_the_same_command_and_no_user_is_written_twice()
    {
        var tenant = Tenant(direct: 45, members: 4);
        var start = Licenses(tenant);
        await UpgradeAsync(tenant);
        using var stop = new CancellationTokenSource();
        var undoWrites = 0;
        tenant.AfterWrite = _ =>
        {
            if (++undoWrites == 25) stop.Cancel();
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => UndoAsync(tenant, cancellationToken: stop.Token));
        tenant.AfterWrite = null;
        Assert.InRange(tenant.LicenseWrites.Values.Count(n => n == 2), 20, 44);
        var second = await UndoAsync(tenant);

        Assert.Equal(start, Licenses(tenant));
        Assert.InRange(second.DoneEarlier, 20, 44);
        Assert.Equal(45 + 1, second.DoneEarlier + second.Undone);
        Assert.All(tenant.LicenseWrites.Values, n => Assert.Equal(2, n));
        Assert.Empty(tenant.EverUnlicensed);
    }

    [Fact]
    public async Task A_write_that_landed_without_a_recorded_answer_is_read_again_and_not_sent_twice()
    {
        var tenant = Tenant(direct: 3, members: 0);
        await UpgradeAsync(tenant);
        await UndoAsync(tenant);
        // As if killed after the writes landed and before their results were journaled: drop the undo's results and end.
        var kept = File.ReadAllLines(JournalPath).Where(l => !l.Contains("\"type\":\"undoResult\"") && !l.Contains("\"type\":\"undoFinished\""));
        File.WriteAllLines(JournalPath, kept);
        var recorder = new Recorder();

        var again = await UndoAsync(tenant, recorder: recorder);

        Assert.Equal(3, again.AlreadyUndone);
        Assert.Equal(0, again.Undone);
        Assert.All(tenant.LicenseWrites.Values, n => Assert.Equal(2, n));
    }

    [Fact]
    public async Task Users_of_a_journal_that_does_not_record_their_plans_before_the_run_are_refused_with_the_reason()
    {
        var tenant = Tenant(direct: 3, members: 0);
        await UpgradeAsync(tenant);
        File.WriteAllLines(JournalPath, File.ReadAllLines(JournalPath).Select(l => System.Text.RegularExpressions.Regex.Replace(l, ",\"sourceDisabledPlanIds\":\\[[^\\]]*\\]", "")));
        var recorder = new Recorder();

        var summary = await UndoAsync(tenant, recorder: recorder);

        Assert.Equal(3, summary.Skipped);
        Assert.All(recorder.Results, r => Assert.Equal(ErrorIds.UndoStateNotRecorded, r.Reason));
        Assert.All(tenant.LicenseWrites.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task The_journal_of_another_tenant_is_refused()
    {
        var tenant = Tenant(direct: 2, members: 0);
        await UpgradeAsync(tenant);

        var ex = await Assert.ThrowsAsync<E4UpgradeException>(() => UndoAsync(tenant, o => o.TenantId = "22222222-2222-2222-2222-222222222222"));

        Assert.Equal(ErrorIds.JournalOtherTenant, ex.ErrorId);
    }

    [Fact]
    public async Task A_journal_another_run_holds_is_refused_before_any_read_or_write()
    {
        var tenant = Tenant(direct: 2, members: 0);
        await UpgradeAsync(tenant);
        var writes = tenant.TotalWrites;
        using var held = UpgradeJournal.Open(JournalPath, new JournalHeader
        {
            TenantId = TenantId, SourceSku = "ENTERPRISEWITHSCAL", SourceSkuId = TestSkus.E4Id, TargetSku = "ENTERPRISEPREMIUM", TargetSkuId = TestSkus.E5Id,
        });

        var ex = await Assert.ThrowsAsync<E4UpgradeException>(() => UndoAsync(tenant));

        Assert.Equal(ErrorIds.JournalInUse, ex.ErrorId);
        Assert.Equal(writes, tenant.TotalWrites);
    }

    [Fact]
    public async Task A_journal_that_is_not_there_is_JournalNotFound_and_none_is_created()
    {
        var tenant = Tenant(direct: 1, members: 0);

        var ex = await Assert.ThrowsAsync<E4UpgradeException>(() => UndoAsync(tenant));

        Assert.Equal(ErrorIds.JournalNotFound, ex.ErrorId);
        Assert.False(File.Exists(JournalPath));
    }

    [Fact]
    public async Task The_report_shows_the_undo_with_who_was_undone_and_skipped_and_why()
    {
        var tenant = Tenant(direct: 3, members: 2);
        await UpgradeAsync(tenant);
        tenant.Users.Values.Single(u => u.Upn == "direct0@contoso.com").Direct.Remove(TestSkus.E5Id);
        tenant.Users.Values.Single(u => u.Upn == "direct0@contoso.com").WithDirect(TestSkus.E3Id);
        await UndoAsync(tenant);

        var report = JournalReportReader.Read(JournalPath);
        var summary = JournalReportSummary.Of(report);

        var run = Assert.Single(report.Undo.Runs);
        Assert.True(run.Finished);
        Assert.Equal(3, summary.Undone);
        Assert.Equal(1, summary.UndoSkipped);
        var skipped = report.Undo.Entries.Single(e => e.Status == nameof(UndoStatus.Skipped));
        Assert.Equal("direct0@contoso.com", skipped.Name);
        Assert.Equal(ErrorIds.UndoChangedSinceRun, skipped.Reason);
        Assert.Contains(report.Records, r => r.Kind == ReportRecordKind.Undo && r.GroupName?.StartsWith("E4 staff") == true && r.Status == nameof(UndoStatus.Undone));
        // The upgrade's own rows are unchanged by the undo: 3 direct users and 2 group members moved.
        Assert.Equal(5, summary.Moved);
    }

    private sealed class Recorder : IUndoReporter
    {
        public ConcurrentQueue<UndoResult> Results { get; } = new();
        public void Result(UndoResult result) => Results.Enqueue(result);
        public void Progress(int done, int total, string status) { }
        public void Warning(string message) { }
        public void Verbose(string message) { }
    }
}
