using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;
using Xunit;

namespace E4Upgrade.Engine.Tests.Licensing;

public class LicenseHoldingTests
{
    private static readonly Guid Sku = Guid.Parse("c7df2760-2c81-4ef7-b578-5b5392b571df");
    private static readonly Guid PlanA = Guid.NewGuid();
    private static readonly Guid PlanB = Guid.NewGuid();

    [Fact]
    public void Nothing_assigned_is_not_held()
    {
        var holding = LicenseHolding.Of(new UserLicenses(), Sku);
        Assert.False(holding.Held);
        Assert.False(holding.Direct);
        Assert.Empty(holding.DisabledPlans);
    }

    [Fact]
    public void An_assigned_license_without_states_is_taken_as_direct()
    {
        var holding = LicenseHolding.Of(new UserLicenses { AssignedLicenses = new[] { new AssignedSku(Sku, new[] { PlanA }) } }, Sku);
        Assert.True(holding.Held);
        Assert.True(holding.Direct);
        Assert.False(holding.Inherited);
        Assert.Equal(new[] { PlanA }, holding.DisabledPlans);
    }

    [Fact]
    public void Direct_and_group_together_give_the_direct_assignment_s_disabled_plans()
    {
        var user = new UserLicenses
        {
            AssignedLicenses = new[] { new AssignedSku(Sku) },
            AssignmentStates = new[]
            {
                new LicenseAssignment { SkuId = Sku, State = "Active", DisabledPlans = new[] { PlanB } },
                new LicenseAssignment { SkuId = Sku, State = "Active", AssignedByGroup = "g1", DisabledPlans = new[] { PlanA } },
            },
        };

        var holding = LicenseHolding.Of(user, Sku);

        Assert.True(holding.Direct);
        Assert.Equal(new[] { "g1" }, holding.GroupIds);
        Assert.Equal("g1", holding.GroupId);
        Assert.Equal(new[] { PlanB }, holding.DisabledPlans);
    }

    [Fact]
    public void Only_through_a_group_is_held_but_not_direct()
    {
        var user = new UserLicenses
        {
            AssignedLicenses = new[] { new AssignedSku(Sku) },
            AssignmentStates = new[] { new LicenseAssignment { SkuId = Sku, State = "Active", AssignedByGroup = "g1" } },
        };

        var holding = LicenseHolding.Of(user, Sku);

        Assert.True(holding.Held);
        Assert.False(holding.Direct);
        Assert.True(holding.Inherited);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("g1")]
    public void An_assignment_in_an_error_state_is_not_holding(string? group)
    {
        var user = new UserLicenses
        {
            AssignedLicenses = new[] { new AssignedSku(Sku) },
            AssignmentStates = new[] { new LicenseAssignment { SkuId = Sku, State = "Error", Error = "CountViolation", AssignedByGroup = group } },
        };

        var holding = LicenseHolding.Of(user, Sku);

        Assert.False(holding.Held);
        Assert.True(holding.InError);
    }

    [Theory]
    [InlineData("Active", true)]
    [InlineData("active", true)]
    [InlineData(null, true)]
    [InlineData("Disabled", false)]
    [InlineData("Error", false)]
    [InlineData("ActiveWithError", false)]
    public void An_assignment_is_held_only_when_its_reported_state_is_Active(string? state, bool held)
    {
        var user = new UserLicenses { AssignmentStates = new[] { new LicenseAssignment { SkuId = Sku, State = state, AssignedByGroup = "g1" } } };

        var holding = LicenseHolding.Of(user, Sku);

        Assert.Equal(held, holding.Held);
        Assert.Equal(held ? new[] { "g1" } : Array.Empty<string>(), holding.GroupIds);
        Assert.Equal(held ? Array.Empty<Guid>() : new[] { Sku }, LicenseHolding.SeatsNeeded(user, new[] { Sku }));
    }

    [Fact]
    public void A_working_assignment_beside_one_in_error_is_held()
    {
        var user = new UserLicenses
        {
            AssignmentStates = new[]
            {
                new LicenseAssignment { SkuId = Sku, State = "Active" },
                new LicenseAssignment { SkuId = Sku, State = "Error", Error = "MutuallyExclusiveViolation", AssignedByGroup = "g2" },
            },
        };

        var holding = LicenseHolding.Of(user, Sku);

        Assert.True(holding.Direct);
        Assert.False(holding.Inherited);
        Assert.True(holding.InError);
    }
}
