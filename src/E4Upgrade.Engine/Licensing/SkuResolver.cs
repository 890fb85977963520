using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Licensing
{
    /// <summary>
    /// Finds a tenant SKU by skuId (GUID) or skuPartNumber, exactly as the tenant spells it (case-insensitive). Real
    /// part numbers contain parentheses, slashes and spaces (Microsoft_365_E5_(no_Teams), O365_w/o_Teams_Bundle_M5),
    /// so any text that is not a GUID is compared whole, never parsed.
    /// </summary>
    public sealed class SkuResolver
    {
        private readonly IReadOnlyList<SkuInfo> _tenantSkus;

        public SkuResolver(IReadOnlyList<SkuInfo> tenantSkus)
        {
            _tenantSkus = tenantSkus ?? throw new ArgumentNullException(nameof(tenantSkus));
        }

        public IReadOnlyList<SkuInfo> TenantSkus => _tenantSkus;

        /// <summary>
        /// Returns the SKU or throws E4UpgradeException SkuNotFound (ObjectNotFound) naming the tenant's SKUs, or
        /// AmbiguousSku (InvalidArgument) naming the ids when the part number names more than one SKU of the tenant.
        /// </summary>
        public SkuInfo Resolve(string guidOrPartNumber)
        {
            if (TryResolve(guidOrPartNumber, out var sku, out var why))
            {
                return sku;
            }

            var ambiguous = SameName((guidOrPartNumber ?? "").Trim());
            if (ambiguous.Count > 1)
            {
                throw new E4UpgradeException(ErrorIds.AmbiguousSku, ErrorCategoryNames.InvalidArgument, why);
            }

            throw new E4UpgradeException(ErrorIds.SkuNotFound, ErrorCategoryNames.ObjectNotFound, why + " " + DescribeTenantSkus());
        }

        /// <summary>False when no SKU, or more than one, answers to the name.</summary>
        public bool TryResolve(string guidOrPartNumber, out SkuInfo sku) => TryResolve(guidOrPartNumber, out sku, out _);

        /// <summary>
        /// The compound target named by one or more SKUs, the suite first. A SKU named twice (by name and by id) counts
        /// once. Throws SkuNotFound for any SKU the tenant does not hold.
        /// </summary>
        public CompoundTarget ResolveTarget(IReadOnlyList<string> guidsOrPartNumbers)
        {
            var names = (guidsOrPartNumbers ?? Array.Empty<string>()).Where(n => !string.IsNullOrWhiteSpace(n)).ToList();
            if (names.Count == 0)
            {
                throw new E4UpgradeException(ErrorIds.SkuNotFound, ErrorCategoryNames.InvalidArgument, "A target SKU is required (e.g. SPE_E5, or 'Microsoft_365_E5_(no_Teams)','Microsoft_Teams_Enterprise_New').");
            }

            var skus = new List<SkuInfo>();
            foreach (var name in names)
            {
                var sku = Resolve(name);
                if (skus.All(s => s.SkuId != sku.SkuId))
                {
                    skus.Add(sku);
                }
            }

            return new CompoundTarget(skus);
        }

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

            // Two SKUs can share a part number: Microsoft's "Product names and service plan identifiers for licensing"
            // lists MCOPSTN5 for both d43177b5-475b-4880-92d4-d54c27b5efbd (PSTN Calling Domestic Small) and
            // 54a152dc-90de-4996-93d2-bc47e670fc06 (PSTN Domestic Calling, 120 minutes). Never pick one silently.
            var byName = SameName(text);
            if (byName.Count == 1)
            {
                sku = byName[0];
                why = "";
                return true;
            }

            if (byName.Count > 1)
            {
                why = $"The skuPartNumber '{text}' names {byName.Count} SKUs of the tenant: "
                    + string.Join(", ", byName.Select(s => $"{s.SkuPartNumber} ({s.SkuId})"))
                    + ". Give the skuId of the one you mean.";
                return false;
            }

            why = $"The tenant has no SKU with skuPartNumber '{text}'.";
            return false;
        }

        private IReadOnlyList<SkuInfo> SameName(string partNumber) =>
            _tenantSkus.Where(s => string.Equals(s.SkuPartNumber, partNumber, StringComparison.OrdinalIgnoreCase)).ToList();

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
    }
}
