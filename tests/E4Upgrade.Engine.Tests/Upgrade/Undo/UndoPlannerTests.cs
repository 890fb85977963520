using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade.Undo;

/// <summary>The undo's decision for one user or group, from the journal and a fresh read (no I/O).</summary>
public sealed class UndoPlannerTests
{
    private static readonly SkuInfo E4 = TestSkus.E4();
    private static readonly SkuInfo E5 = TestSkus.E5();
    private static readonly Guid Forms = TestSkus.Plan("FORMS_PLAN_E3");
    private static readonly Guid Sway = TestSkus.Plan("SWAY");
    private static readonly Guid FormsE5 = E5.ServicePlans.Single(p => p.ServicePlanName == "FORMS_PLAN_E5").ServicePlanId;
    private static readonly Guid SwayE5 = E5.ServicePlans.Single(p => p.ServicePlanName == "SWAY").ServicePlanId;

    private static UndoPlanner Planner() => new(E4, new[] { E5 });

    private static MovedUser Moved(IReadOnlyList<Guid>? before, params string[] after) => new()
    {
        UserId = "u1",
        UserPrincipalName = "u1@contoso.com",
        SourceDisabledPlanIds = before,
        TargetDisabledPlanNames = after,
    };

    private static UserLicenses User(params (Guid Sku, Guid[] Disabled, string? Group)[] held) => new()
    {
        Id = "u1",
        UserPrincipalName = "u1@contoso.com",
        UsageLocation = "US",
        AssignedLicenses = held.GroupBy(h => h.Sku).Select(g => new AssignedSku(g.Key, g.First().Disabled)).ToList(),
        AssignmentStates = held.Select(h => new LicenseAssignment { SkuId = h.Sku, AssignedByGroup = h.Group, DisabledPlans = h.Disabled, State = "Active", Error = "None" }).ToList(),
    };

    [Fact]
    public void A_user_as_the_run_left_them_gets_the_source_back_with_exactly_its_disabled_plans_and_loses_the_target_in_one_change()
    {
        var decision = Planner().ForUser(Moved(new[] { Forms, Sway }, "FORMS_PLAN_E5", "SWAY"), User((E5.SkuId, new[] { FormsE5, SwayE5 }, null)));

        Assert.True(decision.Writes);
        Assert.True(decision.NeedsSeat);
        var add = Assert.Single(decision.Change!.Add);
        Assert.Equal(E4.SkuId, add.SkuId);
        Assert.Equal(new[] { Forms, Sway }.OrderBy(g => g), add.DisabledPlans.OrderBy(g => g));
        Assert.Equal(new[] { E5.SkuId }, decision.Change.Remove);
    }

    [Fact]
    public void A_target_the_user_held_before_the_run_is_given_back_as_it_was_not_removed()
    {
        var noTeams = TodaysSkus.E5NoTeams();
        var teams = TodaysSkus.TeamsEnterprise();
        var teamsPlan = teams.ServicePlans.First().ServicePlanId;
        var planner = new UndoPlanner(E4, new[] { noTeams, teams });
        var moved = new MovedUser
        {
            UserId = "u1",
            SourceDisabledPlanIds = Array.Empty<Guid>(),
            TargetsHeldBefore = new Dictionary<Guid, IReadOnlyList<Guid>> { [teams.SkuId] = new[] { teamsPlan } },
        };

        // The run re-sent Teams Enterprise with its plans merged (nothing disabled) next to the suite.
        var decision = planner.ForUser(moved, User((noTeams.SkuId, Array.Empty<Guid>(), null), (teams.SkuId, Array.Empty<Guid>(), null)));

        Assert.True(decision.Writes);
        Assert.Equal(new[] { noTeams.SkuId }, decision.Change!.Remove);
        Assert.Equal(new[] { teamsPlan }, Assert.Single(decision.Change.Add, a => a.SkuId == teams.SkuId).DisabledPlans);
        Assert.Empty(Assert.Single(decision.Change.Add, a => a.SkuId == E4.SkuId).DisabledPlans);

        // Once given back, the user is as before the run: E4 and Teams Enterprise as it was.
        var after = User((E4.SkuId, Array.Empty<Guid>(), null), (teams.SkuId, new[] { teamsPlan }, null));
        Assert.Equal(UndoStatus.AlreadyUndone, planner.ForUser(moved, after).Status);
        Assert.Equal(UndoStatus.Skipped, planner.ForUser(moved, User((E4.SkuId, Array.Empty<Guid>(), null))).Status);
    }

    [Fact]
    public void A_user_who_holds_the_source_through_a_group_too_takes_no_extra_seat()
    {
        var decision = Planner().ForUser(Moved(Array.Empty<Guid>()), User((E5.SkuId, Array.Empty<Guid>(), null), (E4.SkuId, Array.Empty<Guid>(), "g1")));

        Assert.True(decision.Writes);
        Assert.False(decision.NeedsSeat);
    }

    [Theory]
    [InlineData("plan enabled again")]
    [InlineData("another plan disabled")]
    [InlineData("target removed")]
    [InlineData("source given back next to the target")]
    [InlineData("target in error")]
    public void A_user_changed_since_the_run_is_skipped_and_says_what_changed(string change)
    {
        var held = change switch
        {
            "plan enabled again" => User((E5.SkuId, new[] { SwayE5 }, null)),
            "another plan disabled" => User((E5.SkuId, new[] { FormsE5, SwayE5, E5.ServicePlans.First(p => p.ServicePlanName == "EXCHANGE_S_ENTERPRISE").ServicePlanId }, null)),
            "target removed" => User((TestSkus.E3Id, Array.Empty<Guid>(), null)),
            "source given back next to the target" => User((E5.SkuId, new[] { FormsE5, SwayE5 }, null), (E4.SkuId, Array.Empty<Guid>(), null)),
            _ => new UserLicenses
            {
                Id = "u1",
                AssignedLicenses = new[] { new AssignedSku(E5.SkuId, new[] { FormsE5, SwayE5 }) },
                AssignmentStates = new[] { new LicenseAssignment { SkuId = E5.SkuId, DisabledPlans = new[] { FormsE5, SwayE5 }, State = "Error", Error = "CountViolation" } },
            },
        };

        var decision = Planner().ForUser(Moved(new[] { Forms, Sway }, "FORMS_PLAN_E5", "SWAY"), held);

        Assert.False(decision.Writes);
        Assert.Equal(UndoStatus.Skipped, decision.Status);
        Assert.Equal(ErrorIds.UndoChangedSinceRun, decision.Reason);
        Assert.StartsWith("Changed since the run: ", decision.Message);
    }

    [Fact]
    public void A_user_who_already_holds_what_they_held_before_the_run_is_not_written()
    {
        var decision = Planner().ForUser(Moved(new[] { Forms }, "FORMS_PLAN_E5"), User((E4.SkuId, new[] { Forms }, null)));

        Assert.False(decision.Writes);
        Assert.Equal(UndoStatus.AlreadyUndone, decision.Status);
    }

    [Fact]
    public void A_user_of_an_older_journal_without_the_source_plans_is_refused_not_guessed()
    {
        var decision = Planner().ForUser(Moved(null), User((E5.SkuId, Array.Empty<Guid>(), null)));

        Assert.False(decision.Writes);
        Assert.Equal(ErrorIds.UndoStateNotRecorded, decision.Reason);
    }

    [Fact]
    public void A_user_whose_run_removed_add_ons_is_refused_since_their_plans_were_not_recorded()
    {
        var moved = Moved(Array.Empty<Guid>());
        moved.RemovedAddOns = new[] { "MCOMEETADV" };

        var decision = Planner().ForUser(moved, User((E5.SkuId, Array.Empty<Guid>(), null)));

        Assert.Equal(ErrorIds.UndoAddOnsNotRestorable, decision.Reason);
    }

    [Fact]
    public void A_group_as_the_run_left_it_gets_the_source_back_and_a_changed_group_is_skipped()
    {
        var moved = new MovedGroup { GroupId = "g1", GroupName = "Staff", SourceDisabledPlanIds = new[] { Sway }, TargetDisabledPlanNames = new[] { "SWAY" } };
        var asLeft = new GroupLicenses { Id = "g1", AssignedLicenses = new[] { new AssignedSku(E5.SkuId, new[] { SwayE5 }) } };
        var changed = new GroupLicenses { Id = "g1", AssignedLicenses = new[] { new AssignedSku(E5.SkuId) } };

        var undo = Planner().ForGroup(moved, asLeft);
        var skip = Planner().ForGroup(moved, changed);

        Assert.True(undo.Writes);
        Assert.Equal(new[] { Sway }, undo.Change!.Add.Single().DisabledPlans);
        Assert.Equal(new[] { E5.SkuId }, undo.Change.Remove);
        Assert.Equal(ErrorIds.UndoChangedSinceRun, skip.Reason);
        Assert.Contains("enabled again: SWAY", skip.Message);
    }

    [Fact]
    public void A_target_the_group_assigned_before_the_run_is_given_back_as_it_was_not_removed()
    {
        var noTeams = TodaysSkus.E5NoTeams();
        var teams = TodaysSkus.TeamsEnterprise();
        var teamsPlan = teams.ServicePlans.First().ServicePlanId;
        var planner = new UndoPlanner(E4, new[] { noTeams, teams });
        var moved = new MovedGroup
        {
            GroupId = "g1",
            SourceDisabledPlanIds = Array.Empty<Guid>(),
            TargetsHeldBefore = new Dictionary<Guid, IReadOnlyList<Guid>> { [teams.SkuId] = new[] { teamsPlan } },
        };
        var asLeft = new GroupLicenses { Id = "g1", AssignedLicenses = new[] { new AssignedSku(noTeams.SkuId), new AssignedSku(teams.SkuId) } };

        var undo = planner.ForGroup(moved, asLeft);

        Assert.True(undo.Writes);
        Assert.Equal(new[] { noTeams.SkuId }, undo.Change!.Remove);
        Assert.Equal(new[] { teamsPlan }, Assert.Single(undo.Change.Add, a => a.SkuId == teams.SkuId).DisabledPlans);
        var atStart = new GroupLicenses { Id = "g1", AssignedLicenses = new[] { new AssignedSku(E4.SkuId), new AssignedSku(teams.SkuId, new[] { teamsPlan }) } };
        Assert.Equal(UndoStatus.AlreadyUndone, planner.ForGroup(moved, atStart).Status);
    }

    [Fact]
    public void Seats_count_each_user_once_whether_given_back_directly_or_through_a_group()
    {
        var members = new[]
        {
            new UserLicenses { Id = "u1" },
            new UserLicenses { Id = "m1" },
            User((E4.SkuId, Array.Empty<Guid>(), null)),
        };
        members[2].Id = "m2";

        Assert.Equal(2, UndoPlanner.SeatsNeeded(new[] { "u1" }, members, E4.SkuId));
    }
}
