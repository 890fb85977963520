using E4Upgrade.Engine.Pacing;
using Xunit;

namespace E4Upgrade.Engine.Tests.Pacing;

/// <summary>Costs from Graph's "Identity and access service limits" table, for the calls the module makes.</summary>
public class ResourceUnitCostTests
{
    [Theory]
    [InlineData("GET", "users", "$filter=assignedLicenses/any(x:x/skuId eq 1)&$select=id&$top=999", 1)]
    [InlineData("GET", "users", null, 2)]
    [InlineData("GET", "users/a%40contoso.com", "$select=id,assignedLicenses", 1)]
    [InlineData("GET", "users/8c1f", null, 2)]
    [InlineData("GET", "users/8c1f/licenseDetails", null, 2)]
    [InlineData("GET", "subscribedSkus", null, 3)]
    [InlineData("GET", "directory/subscriptions", null, 1)]
    [InlineData("GET", "groups", "$filter=x&$select=id&$top=999", 1)]
    [InlineData("GET", "groups/g1/members", "%24select=id&%24top=999", 2)]
    [InlineData("GET", "groups/g1/members", null, 3)]
    [InlineData("GET", "groups/g1/transitiveMembers", "$top=5", 4)]
    [InlineData("GET", "users", "$expand=manager", 3)]
    [InlineData("GET", "users", "$select=id&$top=10", 1)]
    [InlineData("POST", "users/8c1f/assignLicense", null, 1)]
    [InlineData("PATCH", "users/8c1f", null, 1)]
    [InlineData("POST", "groups/g1/assignLicense", null, 1)]
    [InlineData("POST", "directoryObjects/getByIds", null, 5)]
    public void Documented_costs(string method, string path, string? query, int cost)
    {
        Assert.Equal(cost, ResourceUnitCost.Documented(method, path, query));
        Assert.Equal(cost, new ResourceUnitCost().Estimate(method, path, query));
    }

    [Fact]
    public void Once_Graph_reports_a_cost_the_same_kind_of_call_is_estimated_at_it()
    {
        var costs = new ResourceUnitCost();

        costs.Reported("GET", "users/u1", "$select=id", 2);

        Assert.Equal(2, costs.Estimate("GET", "users/u2", "$select=id,assignedLicenses"));
        Assert.Equal(2, costs.Estimate("GET", "users/u2", null));
        Assert.Equal(1, costs.Estimate("GET", "users", "$select=id"));
    }
}

public class DistinctUserCountTests
{
    [Fact]
    public void Counts_each_user_once_whatever_the_case_and_stops_at_the_ceiling()
    {
        var count = new DistinctUserCount();

        Assert.True(count.Add("A"));
        Assert.False(count.Add("a"));
        Assert.False(count.Add(null));
        Assert.False(count.Add(""));
        for (var i = 0; i < 1000; i++)
        {
            count.Add("u" + i);
        }

        Assert.Equal(DistinctUserCount.Ceiling, count.Count);
        Assert.False(count.Add("another"));
    }
}
