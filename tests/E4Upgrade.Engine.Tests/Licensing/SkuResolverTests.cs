using Xunit;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Licensing;

namespace E4Upgrade.Engine.Tests.Licensing;

public class SkuResolverTests
{
    private readonly SkuResolver _resolver = new(new[] { CatalogSkus.Get(CatalogSkus.E4), CatalogSkus.Get(CatalogSkus.M365E5) });

    [Theory]
    [InlineData("ENTERPRISEWITHSCAL", CatalogSkus.E4)]
    [InlineData("enterprisewithscal", CatalogSkus.E4)]
    [InlineData("  SPE_E5 ", CatalogSkus.M365E5)]
    [InlineData("06ebc4ee-1bb5-47dd-8120-11324bc54e06", CatalogSkus.M365E5)]
    [InlineData("{1392051D-0CB9-4B7A-88D5-621FEE5E8711}", CatalogSkus.E4)]
    public void Resolves_by_part_number_or_sku_id(string input, string expected)
    {
        Assert.Equal(expected, _resolver.Resolve(input).SkuPartNumber);
        Assert.True(_resolver.TryResolve(input, out var sku));
        Assert.Equal(expected, sku.SkuPartNumber);
    }

    [Theory]
    [InlineData("SPE_E3", "no SKU with skuPartNumber 'SPE_E3'")]
    [InlineData("05e9a617-0261-4cee-bb44-138d3ef5d965", "no SKU with skuId")]
    [InlineData("06ebc4ee-1bb5-47dd-8120", "not a valid GUID")]
    [InlineData("", "empty")]
    [InlineData("SPE E5!", "no SKU with skuPartNumber 'SPE E5!'")]
    [InlineData("Microsoft_365_E5_(no_Teams", "no SKU with skuPartNumber 'Microsoft_365_E5_(no_Teams'")]
    public void An_unknown_or_malformed_sku_is_SkuNotFound_naming_the_tenants_skus(string input, string why)
    {
        var error = Assert.Throws<E4UpgradeException>(() => _resolver.Resolve(input));

        Assert.Equal(ErrorIds.SkuNotFound, error.ErrorId);
        Assert.Equal(ErrorCategoryNames.ObjectNotFound, error.Category);
        Assert.Contains(why, error.Message);
        Assert.Contains("ENTERPRISEWITHSCAL (1392051d-0cb9-4b7a-88d5-621fee5e8711)", error.Message);
        Assert.Contains("SPE_E5", error.Message);
        Assert.False(_resolver.TryResolve(input, out _));
    }

    private static SkuInfo Named(string partNumber, string id) => new() { SkuPartNumber = partNumber, SkuId = new Guid(id), CapabilityStatus = "Enabled" };

    private static readonly SkuResolver RealNames = new(new[]
    {
        Named("Microsoft_365_E5_(no_Teams)", "18a4bd3f-0b5b-4887-b04f-61dd0ee15f5e"),
        Named("O365_w/o_Teams_Bundle_M5", "3271cf8e-2be5-4a09-a549-70fd05baaa17"),
        Named("O365_w/o Teams Bundle_M3", "c2fe850d-fbbb-4858-b67d-bd0c6e746da3"),
        Named("Microsoft_Teams_Enterprise_New", "a9d8c1c2-1111-4c3b-9d5e-0e6f7a8b9c0d"),
    });

    [Theory]
    [InlineData("Microsoft_365_E5_(no_Teams)", "Microsoft_365_E5_(no_Teams)")]
    [InlineData("microsoft_365_e5_(NO_TEAMS)", "Microsoft_365_E5_(no_Teams)")]
    [InlineData("O365_w/o_Teams_Bundle_M5", "O365_w/o_Teams_Bundle_M5")]
    [InlineData(" O365_w/o Teams Bundle_M3 ", "O365_w/o Teams Bundle_M3")]
    [InlineData("18a4bd3f-0b5b-4887-b04f-61dd0ee15f5e", "Microsoft_365_E5_(no_Teams)")]
    public void Real_part_numbers_with_parentheses_slashes_and_spaces_resolve_exactly(string input, string expected)
    {
        Assert.Equal(expected, RealNames.Resolve(input).SkuPartNumber);
    }

    [Fact]
    public void A_compound_target_keeps_the_suite_first_and_counts_a_sku_named_twice_once()
    {
        var target = RealNames.ResolveTarget(new[] { "Microsoft_365_E5_(no_Teams)", "Microsoft_Teams_Enterprise_New", "18a4bd3f-0b5b-4887-b04f-61dd0ee15f5e" });

        Assert.Equal("Microsoft_365_E5_(no_Teams) + Microsoft_Teams_Enterprise_New", target.PartNumbers);
        Assert.Equal("Microsoft_365_E5_(no_Teams)", target.Suite.SkuPartNumber);
        Assert.Single(target.AddOns);
        Assert.True(target.SameSkusAs(new[] { new Guid("a9d8c1c2-1111-4c3b-9d5e-0e6f7a8b9c0d"), new Guid("18a4bd3f-0b5b-4887-b04f-61dd0ee15f5e") }));
    }

    [Fact]
    public void A_compound_target_with_an_unknown_sku_is_SkuNotFound()
    {
        var error = Assert.Throws<E4UpgradeException>(() => RealNames.ResolveTarget(new[] { "Microsoft_365_E5_(no_Teams)", "Microsoft_Teams_Enterprise" }));

        Assert.Equal(ErrorIds.SkuNotFound, error.ErrorId);
        Assert.Contains("'Microsoft_Teams_Enterprise'", error.Message);
    }

    private static readonly SkuResolver TwoCallingPlans = new(new[]
    {
        Named("SPE_E3", "05e9a617-0261-4cee-bb44-138d3ef5d965"),
        Named("MCOPSTN5", "d43177b5-475b-4880-92d4-d54c27b5efbd"),
        Named("MCOPSTN5", "54a152dc-90de-4996-93d2-bc47e670fc06"),
    });

    [Fact]
    public void A_part_number_two_skus_share_is_AmbiguousSku_listing_both_ids()
    {
        var error = Assert.Throws<E4UpgradeException>(() => TwoCallingPlans.ResolveTarget(new[] { "SPE_E3", "MCOPSTN5" }));

        Assert.Equal(ErrorIds.AmbiguousSku, error.ErrorId);
        Assert.Equal(ErrorCategoryNames.InvalidArgument, error.Category);
        Assert.Contains("d43177b5-475b-4880-92d4-d54c27b5efbd", error.Message);
        Assert.Contains("54a152dc-90de-4996-93d2-bc47e670fc06", error.Message);
        Assert.False(TwoCallingPlans.TryResolve("mcopstn5", out _));
    }

    [Fact]
    public void The_id_of_one_of_two_skus_sharing_a_part_number_resolves_to_it()
    {
        var target = TwoCallingPlans.ResolveTarget(new[] { "SPE_E3", "54a152dc-90de-4996-93d2-bc47e670fc06" });

        Assert.Equal(new Guid("54a152dc-90de-4996-93d2-bc47e670fc06"), Assert.Single(target.AddOns).SkuId);
    }
}
