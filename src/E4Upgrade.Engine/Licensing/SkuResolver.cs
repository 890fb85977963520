using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Licensing
{
    /// <summary>Finds a tenant SKU by skuId (GUID) or skuPartNumber (case-insensitive).</summary>
    public sealed class SkuResolver
    {
        private readonly IReadOnlyList<SkuInfo> _tenantSkus;

        public SkuResolver(IReadOnlyList<SkuInfo> tenantSkus)
        {
            _tenantSkus = tenantSkus ?? throw new ArgumentNullException(nameof(tenantSkus));
        }

        public IReadOnlyList<SkuInfo> TenantSkus => _tenantSkus;

        /// <summary>Returns the SKU or throws E4UpgradeException SkuNotFound (ObjectNotFound) naming the tenant's SKUs.</summary>
        public SkuInfo Resolve(string guidOrPartNumber)
        {
            if (TryResolve(guidOrPartNumber, out var sku, out var why))
            {
                return sku;
            }

            throw new E4UpgradeException(ErrorIds.SkuNotFound, "ObjectNotFound", why + " " + DescribeTenantSkus());
        }

        public bool TryResolve(string guidOrPartNumber, out SkuInfo sku) => TryResolve(guidOrPartNumber, out sku, out _);

        private bool TryResolve(string guidOrPartNumber, out SkuInfo sku, out string why)
        {
            sku = null!;
            var text = (guidOrPartNumber ?? "").Trim();
            if (text.Length == 0)
            {
                why = "No SKU was given (empty name).";
                return false;
            }

            if (Guid.TryParse(text, out var skuId))
            {
                var byId = _tenantSkus.FirstOrDefault(s => s.SkuId == skuId);
                if (byId != null)
                {
                    sku = byId;
                    why = "";
                    return true;
                }

                why = $"The tenant has no SKU with skuId '{skuId}'.";
                return false;
            }

            if (LooksLikeMalformedGuid(text))
            {
                why = $"'{text}' looks like a skuId but is not a valid GUID (expected 32 hex digits, e.g. 1392051d-0cb9-4b7a-88d5-621fee5e8711).";
                return false;
            }

            if (!IsValidPartNumber(text))
            {
                why = $"'{text}' is neither a skuId (GUID) nor a skuPartNumber (letters, digits, '_', '-', '.').";
                return false;
            }

            var byName = _tenantSkus.FirstOrDefault(s => string.Equals(s.SkuPartNumber, text, StringComparison.OrdinalIgnoreCase));
            if (byName != null)
            {
                sku = byName;
                why = "";
                return true;
            }

            why = $"The tenant has no SKU with skuPartNumber '{text}'.";
            return false;
        }

        private string DescribeTenantSkus()
        {
            if (_tenantSkus.Count == 0)
            {
                return "The tenant has no subscribed SKUs.";
            }

            return "The tenant's SKUs: " + string.Join(", ", _tenantSkus.Select(s => $"{s.SkuPartNumber} ({s.SkuId})")) + ".";
        }

        private static bool LooksLikeMalformedGuid(string text)
        {
            var hexDigits = text.Count(Uri.IsHexDigit);
            var onlyGuidChars = text.All(c => Uri.IsHexDigit(c) || c == '-' || c == '{' || c == '}');
            return onlyGuidChars && (text.Contains("-") || hexDigits >= 16);
        }

        private static bool IsValidPartNumber(string text) =>
            text.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.');
    }
}
