using Xunit;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Tests.Licensing;

namespace E4Upgrade.Engine.Tests.Moves;

public class MoveDecisionTests
{
    private static readonly string A = MoveHarness.IdOf(900);
    private static readonly string Group1 = new Guid(1, 1, 0, new byte[8]).ToString();

    [Fact]
    public async Task Moves_with_one_assignLicense_adding_the_target_and_removing_E4_together()
    {
        var h = new MoveHarness();
        h.AddE4Users(1);

        var results = await h.RunAsync(new[] { MoveHarness.UpnOf(1) });

        var result = Assert.Single(results);
        Assert.Equal(MoveStatus.Moved, result.Status);
        Assert.Null(result.Reason);
        Assert.Equal(MoveHarness.IdOf(1), result.UserId);
        Assert.Equal(MoveHarness.UpnOf(1), result.UserPrincipalName);
        Assert.Equal(1, result.Attempts);
        var write = Assert.Single(h.Gateway.Writes);
        Assert.Equal(WriteKind.AssignLicense, write.Request.Kind);
        Assert.Equal(MoveHarness.IdOf(1), write.Request.UserId);
        h.AssertNeverRemovedWithoutAdd();
        var user = h.Gateway.User(MoveHarness.IdOf(1));
        Assert.Equal(new[] { h.Target.SkuId }, user.Direct.Keys);
    }

    [Fact]
    public async Task Carries_disabled_plans_to_the_same_service_and_reports_dropped_ones()
    {
        var h = new MoveHarness(target: CatalogSkus.M365E5);
        h.AddE4Users(1)[0].WithDirect(h.Source.SkuId,
            CatalogSkus.PlanId(CatalogSkus.E4, "FORMS_PLAN_E3"),
            CatalogSkus.PlanId(CatalogSkus.E4, "MCOVOICECONF"),
            CatalogSkus.PlanId(CatalogSkus.E4, "SWAY"));

        var result = Assert.Single(await h.RunAsync(new[] { MoveHarness.IdOf(1) }));

        Assert.Equal(MoveStatus.Moved, result.Status);
        Assert.Equal(new[] { "FORMS_PLAN_E3", "MCOVOICECONF", "SWAY" }, result.DisabledPlansBefore.OrderBy(x => x));
        Assert.Equal(new[] { "FORMS_PLAN_E5", "SWAY" }, result.DisabledPlansAfter.OrderBy(x => x));
        Assert.Equal(new[] { "MCOVOICECONF" }, result.DroppedPlans);
        Assert.Contains("MCOVOICECONF", result.Message);
        var sent = Assert.Single(h.Gateway.Writes).Request.Change!.Add.Single().DisabledPlans;
        Assert.Equal(
            new[] { CatalogSkus.PlanId(CatalogSkus.M365E5, "FORMS_PLAN_E5"), CatalogSkus.PlanId(CatalogSkus.M365E5, "SWAY") }.OrderBy(x => x),
            sent.OrderBy(x => x));
        h.AssertNeverRemovedWithoutAdd();
    }

    [Fact]
    public async Task Explicit_disabled_plans_override_the_mapping()
    {
        var h = new MoveHarness(target: CatalogSkus.O365E3);
        h.AddE4Users(1)[0].WithDirect(h.Source.SkuId, CatalogSkus.PlanId(CatalogSkus.E4, "SWAY"));

        var result = Assert.Single(await h.RunAsync(new[] { MoveHarness.IdOf(1) }, h.Options(o => o.DisabledPlans = new[] { "teams1", "YAMMER_ENTERPRISE" })));

        Assert.Equal(MoveStatus.Moved, result.Status);
        Assert.Equal(new[] { "SWAY" }, result.DisabledPlansBefore);
        Assert.Equal(new[] { "TEAMS1", "YAMMER_ENTERPRISE" }, result.DisabledPlansAfter);
        Assert.Empty(result.DroppedPlans);
    }

    [Fact]
    public async Task Unknown_override_plan_stops_the_run_before_any_write()
    {
        var h = new MoveHarness(target: CatalogSkus.O365E3);
        h.AddE4Users(3);

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => h.RunAsync(new[] { MoveHarness.IdOf(1) }, h.Options(o => o.DisabledPlans = new[] { "MCOEV" })));

        Assert.Equal(ErrorIds.InvalidDisabledPlan, error.ErrorId);
        Assert.Empty(h.Gateway.Writes);
    }

    [Fact]
    public async Task A_user_holding_the_target_and_not_E4_is_AlreadyMoved_without_a_write()
    {
        var h = new MoveHarness();
        h.Gateway.AddUser(A, "a@contoso.com").WithDirect(h.Target.SkuId, CatalogSkus.PlanId(CatalogSkus.M365E5, "SWAY"));

        var result = Assert.Single(await h.RunAsync(new[] { "a@contoso.com" }));

        Assert.Equal(MoveStatus.AlreadyMoved, result.Status);
        Assert.Null(result.Reason);
        Assert.Equal(new[] { "SWAY" }, result.DisabledPlansAfter);
        Assert.Equal(0, result.Attempts);
        Assert.Empty(h.Gateway.Writes);
    }

    [Fact]
    public async Task A_second_run_reports_everyone_AlreadyMoved_and_writes_nothing()
    {
        var h = new MoveHarness();
        h.AddE4Users(45);
        var keys = Enumerable.Range(1, 45).Select(MoveHarness.UpnOf).ToList();

        var first = await h.RunAsync(keys);
        var writes = h.Gateway.Writes.Count;
        var second = await h.RunAsync(keys);

        Assert.All(first, r => Assert.Equal(MoveStatus.Moved, r.Status));
        Assert.All(second, r => Assert.Equal(MoveStatus.AlreadyMoved, r.Status));
        h.AssertWrittenOnce(Enumerable.Range(1, 45).Select(MoveHarness.IdOf));
        Assert.Equal(writes, h.Gateway.Writes.Count); // the second run wrote nothing
    }

    [Fact]
    public async Task A_user_holding_neither_license_is_skipped()
    {
        var h = new MoveHarness();
        h.Gateway.AddUser(A, "a@contoso.com").WithDirect(CatalogSkus.Get(CatalogSkus.O365E3).SkuId);

        var result = Assert.Single(await h.RunAsync(new[] { A }));

        Assert.Equal(MoveStatus.Skipped, result.Status);
        Assert.Equal(ErrorIds.SourceLicenseNotAssigned, result.Reason);
        Assert.Empty(h.Gateway.Writes);
    }

    [Fact]
    public async Task E4_inherited_from_a_group_is_skipped_with_the_group_and_not_written()
    {
        var h = new MoveHarness();
        h.Gateway.AddUser(A, "a@contoso.com").WithGroup(h.Source.SkuId, Group1);

        var result = Assert.Single(await h.RunAsync(new[] { A }));

        Assert.Equal(MoveStatus.Skipped, result.Status);
        Assert.Equal(ErrorIds.InheritedFromGroup, result.Reason);
        Assert.Equal(Group1, result.GroupId);
        Assert.Empty(h.Gateway.Writes);
    }

    [Fact]
    public async Task E4_held_directly_and_from_a_group_is_moved_and_the_group_is_named()
    {
        var h = new MoveHarness();
        h.Gateway.AddUser(A, "a@contoso.com").WithDirect(h.Source.SkuId).WithGroup(h.Source.SkuId, Group1);

        var result = Assert.Single(await h.RunAsync(new[] { A }));

        Assert.Equal(MoveStatus.Moved, result.Status);
        Assert.Contains(Group1, result.Message);
        h.AssertNeverRemovedWithoutAdd();
    }

    [Fact]
    public async Task Missing_usage_location_fails_without_a_write()
    {
        var h = new MoveHarness();
        h.Gateway.AddUser(A, "a@contoso.com", usageLocation: null).WithDirect(h.Source.SkuId);

        var result = Assert.Single(await h.RunAsync(new[] { A }));

        Assert.Equal(MoveStatus.Failed, result.Status);
        Assert.Equal(ErrorIds.UsageLocationMissing, result.Reason);
        Assert.Empty(h.Gateway.Writes);
    }

    [Fact]
    public async Task With_a_usage_location_option_the_location_is_set_first_then_the_license_moved()
    {
        var h = new MoveHarness();
        h.Gateway.AddUser(A, "a@contoso.com", usageLocation: null).WithDirect(h.Source.SkuId);
        h.AddE4Users(3);

        var results = await h.RunAsync(new[] { A }.Concat(Enumerable.Range(1, 3).Select(MoveHarness.IdOf)), h.Options(o => o.UsageLocation = "de"));

        Assert.All(results, r => Assert.Equal(MoveStatus.Moved, r.Status));
        var forA = h.Gateway.Writes.Where(w => w.Request.UserId == A).Select(w => w.Request).ToList();
        Assert.Equal(new[] { WriteKind.SetUsageLocation, WriteKind.AssignLicense }, forA.Select(w => w.Kind));
        Assert.Equal("DE", forA[0].UsageLocation);
        Assert.Equal("DE", h.Gateway.User(A).UsageLocation);
        Assert.Equal(1, results.Single(r => r.UserId == A).Attempts);
        h.AssertNeverRemovedWithoutAdd();
    }

    [Theory]
    [InlineData("Germany")]
    [InlineData("ZZ")]
    public async Task A_usage_location_that_is_no_ISO_country_code_stops_the_run_before_any_write(string usageLocation)
    {
        var h = new MoveHarness();
        h.AddE4Users(1);

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => h.RunAsync(new[] { MoveHarness.IdOf(1) }, h.Options(o => o.UsageLocation = usageLocation)));

        Assert.Equal(ErrorIds.InvalidUsageLocation, error.ErrorId);
        Assert.Empty(h.Gateway.Writes);
    }

    [Fact]
    public async Task A_user_already_holding_the_target_directly_keeps_every_service_and_E4_is_removed()
    {
        var h = new MoveHarness(target: CatalogSkus.O365E5);
        var formsE3 = CatalogSkus.PlanId(CatalogSkus.E4, "FORMS_PLAN_E3");
        var swayE4 = CatalogSkus.PlanId(CatalogSkus.E4, "SWAY");
        var formsE5 = CatalogSkus.PlanId(CatalogSkus.O365E5, "FORMS_PLAN_E5");
        var teams = CatalogSkus.PlanId(CatalogSkus.O365E5, "TEAMS1");
        var mcoev = CatalogSkus.PlanId(CatalogSkus.O365E5, "MCOEV");
        // E4: Forms and Sway off. E5 held too: Forms, Teams and Phone System off.
        // Forms: off in both -> stays off. Teams: on through E4 -> must be on. Phone System: E4 has none -> stays off.
        h.Gateway.AddUser(A, "a@contoso.com").WithDirect(h.Source.SkuId, formsE3, swayE4).WithDirect(h.Target.SkuId, formsE5, teams, mcoev);

        var result = Assert.Single(await h.RunAsync(new[] { A }));

        Assert.Equal(MoveStatus.Moved, result.Status);
        var change = Assert.Single(h.Gateway.Writes).Request.Change!;
        Assert.Equal(new[] { h.Source.SkuId }, change.Remove);
        Assert.Equal(new[] { formsE5, mcoev }.OrderBy(x => x), change.Add.Single().DisabledPlans.OrderBy(x => x));
        Assert.Equal(new[] { "FORMS_PLAN_E5", "MCOEV" }, result.DisabledPlansAfter.OrderBy(x => x));
        Assert.Equal(new[] { h.Target.SkuId }, h.Gateway.User(A).Direct.Keys);
    }

    [Fact]
    public async Task A_user_holding_both_needs_no_extra_seat_and_is_moved_when_seats_run_out()
    {
        var h = new MoveHarness(targetSeats: 2);
        h.Gateway.AddUser(A, "a@contoso.com").WithDirect(h.Source.SkuId).WithDirect(h.Target.SkuId);
        h.AddE4Users(2);

        var results = await h.RunAsync(new[] { MoveHarness.IdOf(1), MoveHarness.IdOf(2), A });

        Assert.Equal(MoveStatus.Moved, results.Single(r => r.UserId == MoveHarness.IdOf(1)).Status);
        Assert.Equal(ErrorIds.InsufficientLicenses, results.Single(r => r.UserId == MoveHarness.IdOf(2)).Reason);
        Assert.Equal(MoveStatus.Moved, results.Single(r => r.UserId == A).Status);
        h.AssertWrittenOnce(new[] { MoveHarness.IdOf(1), A });
        Assert.Empty(h.WritesOf(MoveHarness.IdOf(2)));
    }

    [Fact]
    public async Task Unknown_and_malformed_users_fail_with_their_ids_and_others_still_move()
    {
        var h = new MoveHarness();
        h.AddE4Users(2);

        var results = await h.RunAsync(new[] { "ghost@contoso.com", MoveHarness.IdOf(1), "not a user", "", "1234-xyz", MoveHarness.UpnOf(2) });

        Assert.Equal(MoveStatus.Failed, results.Single(r => r.UserId == "ghost@contoso.com").Status);
        Assert.Equal(ErrorIds.UserNotFound, results.Single(r => r.UserId == "ghost@contoso.com").Reason);
        Assert.Equal("ghost@contoso.com", results.Single(r => r.UserId == "ghost@contoso.com").UserPrincipalName);
        Assert.Equal(ErrorIds.InvalidUserIdentity, results.Single(r => r.UserId == "not a user").Reason);
        Assert.Equal(ErrorIds.InvalidUserIdentity, results.Single(r => r.UserId == "").Reason);
        Assert.Equal(ErrorIds.InvalidUserIdentity, results.Single(r => r.UserId == "1234-xyz").Reason);
        Assert.Equal(2, results.Count(r => r.Status == MoveStatus.Moved));
        Assert.Equal(6, results.Count);
    }

    [Fact]
    public async Task Duplicates_by_case_and_by_id_and_upn_are_moved_once_and_each_input_row_gets_a_result()
    {
        var h = new MoveHarness();
        h.AddE4Users(2);
        var progress = new List<MoveProgress>();

        var results = await h.RunAsync(
            new[]
            {
                MoveHarness.UpnOf(1), MoveHarness.UpnOf(1).ToUpperInvariant(), MoveHarness.IdOf(1), MoveHarness.IdOf(1).ToUpperInvariant(),
                MoveHarness.IdOf(2), "ghost@x.com", "GHOST@x.com", MoveHarness.UpnOf(2),
            },
            progress: new SyncProgress<MoveProgress>(progress.Add));

        Assert.Equal(8, results.Count);
        Assert.Equal(2, results.Count(r => r.Status == MoveStatus.Moved));
        Assert.Single(results, r => r.Reason == ErrorIds.UserNotFound);
        var duplicates = results.Where(r => r.Reason == ErrorIds.DuplicateInput).ToList();
        Assert.Equal(5, duplicates.Count);
        Assert.All(duplicates, d => Assert.Equal(MoveStatus.Skipped, d.Status));
        Assert.Equal(3, duplicates.Count(d => string.Equals(d.UserId, MoveHarness.IdOf(1), StringComparison.OrdinalIgnoreCase)
            || string.Equals(d.UserPrincipalName, MoveHarness.UpnOf(1), StringComparison.OrdinalIgnoreCase)));
        Assert.Single(duplicates, d => d.UserId == MoveHarness.IdOf(2) && d.UserPrincipalName == MoveHarness.UpnOf(2));
        h.AssertWrittenOnce(new[] { MoveHarness.IdOf(1), MoveHarness.IdOf(2) });
        Assert.All(h.Gateway.Writes, w => Assert.Contains(w.Request.UserId, new[] { MoveHarness.IdOf(1), MoveHarness.IdOf(2) }));
        Assert.Equal(5, progress.Last().Duplicates);
        Assert.Equal(8, progress.Last().Received);
    }

    [Fact]
    public async Task Plan_only_reads_and_decides_but_writes_nothing()
    {
        var h = new MoveHarness(targetSeats: 3);
        h.AddE4Users(3);
        h.Gateway.AddUser(A, "a@contoso.com").WithDirect(h.Target.SkuId); // takes one of the 3 seats

        var results = await h.RunAsync(Enumerable.Range(1, 3).Select(MoveHarness.IdOf).Append(A), h.Options(o => o.PlanOnly = true));

        Assert.Empty(h.Gateway.Writes);
        Assert.Equal(2, results.Count(r => r.Status == MoveStatus.WouldMove));
        Assert.Single(results, r => r.Reason == ErrorIds.InsufficientLicenses);
        Assert.Single(results, r => r.Status == MoveStatus.AlreadyMoved);
    }

    [Theory]
    [InlineData("NOPE_SKU", CatalogSkus.M365E5)]
    [InlineData(CatalogSkus.E4, "00000000-0000-0000-0000-000000000001")]
    [InlineData(CatalogSkus.E4, "06ebc4ee-1bb5-47dd-8120")]
    public async Task An_unknown_sku_stops_the_run_before_any_read_or_write(string from, string to)
    {
        var h = new MoveHarness();
        h.AddE4Users(1);

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => h.RunAsync(new[] { MoveHarness.IdOf(1) }, new MoveOptions { FromSku = from, ToSku = to }));

        Assert.Equal(ErrorIds.SkuNotFound, error.ErrorId);
        Assert.Equal(ErrorCategoryNames.ObjectNotFound, error.Category);
        Assert.Contains("ENTERPRISEWITHSCAL", error.Message);
        Assert.Empty(h.Gateway.Reads);
        Assert.Empty(h.Gateway.Writes);
    }

    [Fact]
    public async Task The_same_source_and_target_stops_the_run()
    {
        var h = new MoveHarness();
        h.AddE4Users(1);

        var error = await Assert.ThrowsAsync<E4UpgradeException>(() => h.RunAsync(new[] { MoveHarness.IdOf(1) }, new MoveOptions { FromSku = CatalogSkus.E4, ToSku = h.Source.SkuId.ToString() }));

        Assert.Equal(ErrorIds.NotEligible, error.ErrorId);
        Assert.Empty(h.Gateway.Writes);
    }

    [Fact]
    public async Task Already_read_users_are_moved_without_reading_them_again()
    {
        var h = new MoveHarness();
        var users = h.AddE4Users(30).Select(u => u.Snapshot()).ToList();
        var engine = new LicenseMoveEngine(h.Gateway, h.Settings);

        var results = new List<MoveResult>();
        await foreach (var r in engine.MoveAsync(MoveHarness.Stream(users), h.Options(), null, CancellationToken.None))
        {
            results.Add(r);
        }

        Assert.Equal(30, results.Count(r => r.Status == MoveStatus.Moved));
        Assert.Empty(h.Gateway.Reads);
        h.AssertWrittenOnce(users.Select(u => u.Id));
    }

    [Fact]
    public async Task The_observer_hears_of_each_write_before_it_is_sent_and_of_each_result()
    {
        var h = new MoveHarness();
        h.AddE4Users(2);
        h.Gateway.Inject = (w, attempt) =>
        {
            Assert.Contains("send " + w.UserId, h.Observer.Events);
            return null;
        };

        await h.RunAsync(new[] { MoveHarness.IdOf(1), MoveHarness.IdOf(2) });

        Assert.Contains("done " + MoveHarness.IdOf(1) + " Moved", h.Observer.Events);
        Assert.True(h.Observer.Events.IndexOf("send " + MoveHarness.IdOf(1)) < h.Observer.Events.IndexOf("done " + MoveHarness.IdOf(1) + " Moved"));
    }
}

/// <summary>IProgress that reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class SyncProgress<T> : IProgress<T>
{
    private readonly Action<T> _report;

    public SyncProgress(Action<T> report) => _report = report;

    public void Report(T value) => _report(value);
}
