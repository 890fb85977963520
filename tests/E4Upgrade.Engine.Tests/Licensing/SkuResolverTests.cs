using Xunit;
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
    [InlineData("SPE E5!", "neither a skuId")]
    public void An_unknown_or_malformed_sku_is_SkuNotFound_naming_the_tenants_skus(string input, string why)
    {
        var error = Assert.Throws<E4UpgradeException>(() => _resolver.Resolve(input));

        Assert.Equal(ErrorIds.SkuNotFound, error.ErrorId);
        Assert.Equal("ObjectNotFound", error.Category);
        Assert.Contains(why, error.Message);
        Assert.Contains("ENTERPRISEWITHSCAL (1392051d-0cb9-4b7a-88d5-621fee5e8711)", error.Message);
        Assert.Contains("SPE_E5", error.Message);
        Assert.False(_resolver.TryResolve(input, out _));
    }
}
