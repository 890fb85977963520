using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;
using E4Upgrade.Engine.Moves;
using E4Upgrade.Engine.Upgrade;
using Xunit;

namespace E4Upgrade.Engine.Tests.Upgrade;

/// <summary>
/// The table of <see cref="GroupMemberVerifier"/>: one member of a swapped group, listed at the given times, and the
/// verdict of each listing. An observation reads "TARGET@seconds": TARGET is what the member shows for the target from
/// this group ("-" none yet, "Active", "Disabled", "unreported" (no state), "Error/CountViolation"), "+E4" when E4 still
/// comes from the group, "direct" when the target is held directly rather than from the group.
/// </summary>
public sealed class GroupMemberVerifierTests
{
    private const string GroupId = "group-1";
    private static readonly TimeSpan Lag = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData("Active@0", "Moved")]
    [InlineData("unreported@0", "Moved")]
    [InlineData("-+E4@0", "Pending")]
    [InlineData("Active+E4@0", "Pending")]
    [InlineData("Disabled@0", "Pending")]
    [InlineData("direct@0", "Pending")]
    [InlineData("-+E4@0,Active@30", "Pending,Moved")]
    [InlineData("Active@0,Active@30", "Moved,Reported")]
    [InlineData("Error/CountViolation@0", "Pending")]
    [InlineData("Error/CountViolation@0,Error/CountViolation@4", "Pending,Pending")]
    [InlineData("Error/CountViolation@0,Error/CountViolation@5", "Pending,Failed")]
    [InlineData("Error/CountViolation@0,-+E4@3,Error/CountViolation@6", "Pending,Pending,Pending")]
    [InlineData("Error/CountViolation@0,Active@6", "Pending,Moved")]
    [InlineData("Error/CountViolation@0,Error/CountViolation@5,Active@10", "Pending,Failed,Reported")]
    public void A_members_listings_give_these_verdicts(string observations, string verdicts)
    {
        var verifier = new GroupMemberVerifier(GroupId, "Staff", TestSkus.E4(), new CompoundTarget(new[] { TestSkus.E5() }), Lag);

        var actual = observations.Split(',').Select(o =>
        {
            var at = TimeSpan.FromSeconds(int.Parse(o.Split('@')[1]));
            return verifier.Observe(Member(o.Split('@')[0]), at, out _).ToString();
        });

        Assert.Equal(verdicts, string.Join(",", actual));
    }

    /// <summary>
    /// One listing, no lag: the target assignment from this group (state, error as Graph writes it: "None" or null when
    /// there is none), whether the member's assignedLicenses lists the target ("holds"), and the outcome with its reason.
    /// E4 no longer comes from the group in every row.
    /// </summary>
    [Theory]
    [InlineData("Active", "None", true, "Moved", "")]
    [InlineData("Active", null, true, "Moved", "")]
    [InlineData("ActiveWithError", "Other", true, "Moved", "")]
    [InlineData("ActiveWithError", "CountViolation", true, "Moved", "")]
    [InlineData("ActiveWithError", "Other", false, "Failed", "GraphError")]
    [InlineData("Error", "Other", true, "Moved", "")]
    [InlineData("Error", "Other", false, "Failed", "GraphError")]
    [InlineData("Error", "CountViolation", false, "Failed", "InsufficientLicenses")]
    [InlineData("Error", "MutuallyExclusiveViolation", false, "Failed", "LicenseConflict")]
    [InlineData("Error", "DependencyViolation", false, "Failed", "LicenseConflict")]
    [InlineData("Error", "ProhibitedInUsageLocationViolation", false, "Failed", "UsageLocationMissing")]
    [InlineData("Error", "UniquenessViolation", false, "Failed", "GraphError")]
    [InlineData("Error", "MutuallyExclusiveViolation", true, "Moved", "")]
    [InlineData("Disabled", "None", false, "Failed", "GroupLicenseDisabled")]
    [InlineData("Disabled", null, true, "Moved", "")]
    public void A_target_state_error_and_holding_give_this_outcome(string state, string? error, bool holds, string outcome, string reason)
    {
        var verifier = new GroupMemberVerifier(GroupId, "Staff", TestSkus.E4(), new CompoundTarget(new[] { TestSkus.E5() }), TimeSpan.Zero);
        var member = new UserLicenses
        {
            Id = "member-1",
            UserPrincipalName = "member1@contoso.com",
            AssignedLicenses = holds ? new[] { new AssignedSku(TestSkus.E5Id) } : Array.Empty<AssignedSku>(),
            AssignmentStates = new[] { new LicenseAssignment { SkuId = TestSkus.E5Id, AssignedByGroup = GroupId, State = state, Error = error } },
        };

        var verdict = verifier.Observe(member, TimeSpan.Zero, out var result);

        Assert.Equal(outcome, verdict.ToString());
        Assert.Equal(outcome, result!.Status.ToString());
        Assert.Equal(reason, result.Reason ?? "");
        Assert.Equal(GroupId, result.GroupId);
        if (state != "Active")
        {
            // Every state but Active is named with the group, so the admin sees what Entra reported for this group.
            Assert.Contains("Group Staff: ENTERPRISEPREMIUM is " + state, result.Message);
        }
    }

    [Fact]
    public void A_member_whose_concurrent_assignment_Entra_retries_holds_the_target_through_another_group_and_is_moved()
    {
        // LicenseAssignmentAttributeConcurrencyException (entra-docs licensing-groups-resolve-problems.md): a user in
        // several groups with the same license; Entra retries, no action is needed. The member holds E5 from the other group.
        var verifier = new GroupMemberVerifier(GroupId, "Staff", TestSkus.E4(), new CompoundTarget(new[] { TestSkus.E5() }), Lag);
        var member = new UserLicenses
        {
            Id = "member-1",
            AssignmentStates = new[]
            {
                new LicenseAssignment { SkuId = TestSkus.E5Id, AssignedByGroup = GroupId, State = "Error", Error = "Other" },
                new LicenseAssignment { SkuId = TestSkus.E5Id, AssignedByGroup = "group-2", State = "Active", Error = "None" },
            },
        };

        Assert.Equal(MemberVerdict.Moved, verifier.Observe(member, TimeSpan.Zero, out var result));
        Assert.Equal(MoveStatus.Moved, result!.Status);
        Assert.Contains("Other", result.Message);
    }

    [Fact]
    public void A_failed_member_is_told_whether_the_source_is_kept()
    {
        var verifier = new GroupMemberVerifier(GroupId, "Staff", TestSkus.E4(), new CompoundTarget(new[] { TestSkus.E5() }), TimeSpan.Zero);
        var member = new UserLicenses
        {
            Id = "member-1",
            AssignedLicenses = new[] { new AssignedSku(TestSkus.E4Id) },
            AssignmentStates = new[]
            {
                new LicenseAssignment { SkuId = TestSkus.E5Id, AssignedByGroup = GroupId, State = "Error", Error = "CountViolation" },
                new LicenseAssignment { SkuId = TestSkus.E4Id, State = "Active" },
            },
        };

        verifier.Observe(member, TimeSpan.Zero, out var result);

        Assert.EndsWith("ENTERPRISEWITHSCAL is kept.", result!.Message);
    }

    [Fact]
    public void A_confirmed_error_is_reported_with_its_error_id_and_cause()
    {
        var verifier = new GroupMemberVerifier(GroupId, "Staff", TestSkus.E4(), new CompoundTarget(new[] { TestSkus.E5() }), TimeSpan.Zero);

        var verdict = verifier.Observe(Member("Error/MutuallyExclusiveViolation"), TimeSpan.Zero, out var result);

        Assert.Equal(MemberVerdict.Failed, verdict);
        Assert.Equal((ErrorIds.LicenseConflict, GroupId), (result!.Reason, result.GroupId));
        Assert.Contains("MutuallyExclusiveViolation", result.Message);
    }

    private static UserLicenses Member(string shows)
    {
        var e4FromGroup = shows.EndsWith("+E4", StringComparison.Ordinal);
        var target = e4FromGroup ? shows[..^3] : shows;
        var states = new List<LicenseAssignment>();
        if (e4FromGroup)
        {
            states.Add(new LicenseAssignment { SkuId = TestSkus.E4Id, AssignedByGroup = GroupId, State = "Active" });
        }

        switch (target)
        {
            case "-":
                break;
            case "direct":
                states.Add(new LicenseAssignment { SkuId = TestSkus.E5Id, State = "Active" });
                break;
            case "unreported":
                states.Add(new LicenseAssignment { SkuId = TestSkus.E5Id, AssignedByGroup = GroupId });
                break;
            default:
                var parts = target.Split('/');
                states.Add(new LicenseAssignment { SkuId = TestSkus.E5Id, AssignedByGroup = GroupId, State = parts[0], Error = parts.Length > 1 ? parts[1] : null });
                break;
        }

        return new UserLicenses { Id = "member-1", UserPrincipalName = "member1@contoso.com", AssignmentStates = states };
    }
}
