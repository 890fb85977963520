using E4Upgrade.Engine.Tests.Licensing;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>Stop-E4Subscription's FreedAddOns: add-ons the target includes with seats free, never a suite.</summary>
public class FreedAddOnsTests
{
    [Fact]
    public async Task A_suite_the_target_includes_is_not_an_add_on_the_run_freed_even_with_every_seat_free()
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E4(enabled: 10));
        tenant.Skus.Add(CatalogSkus.Get(CatalogSkus.M365E5, enabled: 10));
        tenant.Skus.Add(TestSkus.E5(enabled: 25)); // Office 365 E5, never assigned: every plan of it is in Microsoft 365 E5
        tenant.Skus.Add(TodaysSkus.AudioConferencing(enabled: 10));
        var m365E5 = CatalogSkus.Get(CatalogSkus.M365E5).SkuId;
        tenant.AddUser("kept@contoso.com", m365E5, TodaysSkus.AudioConferencingId);

        var state = await new SubscriptionCloser(tenant).CloseAsync(new SubscriptionClosureOptions { TargetSkus = new[] { "SPE_E5" }, RemovedAddOns = new[] { "MCOMEETADV", "ENTERPRISEPREMIUM" } }, CancellationToken.None);

        Assert.Equal(new[] { "MCOMEETADV: 9 of 10 seats free" }, state.FreedAddOns);
        Assert.DoesNotContain("ENTERPRISEPREMIUM", state.NextSteps);
    }

    [Fact]
    public async Task Only_add_ons_the_run_removed_are_listed_never_one_that_was_never_assigned()
    {
        var tenant = new FakeTenant();
        tenant.Skus.Add(TestSkus.E4(enabled: 10));
        tenant.Skus.Add(CatalogSkus.Get(CatalogSkus.M365E5, enabled: 10));
        tenant.Skus.Add(TodaysSkus.AudioConferencing(enabled: 10));
        tenant.Skus.Add(CatalogSkus.Get("MCOEV", enabled: 10)); // Teams Phone: in Microsoft 365 E5, never assigned
        tenant.AddUser("kept@contoso.com", CatalogSkus.Get(CatalogSkus.M365E5).SkuId);
        var closer = new SubscriptionCloser(tenant);

        var fromJournal = await closer.CloseAsync(new SubscriptionClosureOptions { TargetSkus = new[] { "SPE_E5" }, RemovedAddOns = new[] { "MCOMEETADV" } }, CancellationToken.None);
        var noJournal = await closer.CloseAsync(new SubscriptionClosureOptions { TargetSkus = new[] { "SPE_E5" } }, CancellationToken.None);

        Assert.Equal(new[] { "MCOMEETADV: 10 of 10 seats free" }, fromJournal.FreedAddOns);
        Assert.Empty(noJournal.FreedAddOns);
        Assert.DoesNotContain("Add-on subscriptions", noJournal.NextSteps);
    }

    [Fact]
    public void The_journal_records_the_add_ons_a_run_removed()
    {
        var path = Path.Combine(Path.GetTempPath(), "e4freed-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            using (var journal = UpgradeJournal.Open(path, new JournalHeader { TenantId = "11111111-1111-1111-1111-111111111111", SourceSku = "ENTERPRISEWITHSCAL", SourceSkuId = TestSkus.E4Id, TargetSku = "SPE_E5", TargetSkuId = TestSkus.E5Id }))
            {
                journal.WriteResult(new E4Upgrade.Engine.Moves.MoveResult { UserId = "u1", Status = E4Upgrade.Engine.Moves.MoveStatus.Moved, RemovedAddOns = new[] { "MCOMEETADV" } }, Array.Empty<Guid>());
                journal.WriteResult(new E4Upgrade.Engine.Moves.MoveResult { UserId = "u2", Status = E4Upgrade.Engine.Moves.MoveStatus.Moved }, Array.Empty<Guid>());
            }

            Assert.Equal(new[] { "MCOMEETADV" }, E4Upgrade.Engine.Reporting.JournalReportReader.Read(path).Undo.RemovedAddOns);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
