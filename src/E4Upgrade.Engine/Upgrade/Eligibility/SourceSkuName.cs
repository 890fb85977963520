using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// How findings, warnings and progress name the SKU a run moves from: "E4" for an Office 365 E4 variant (the
    /// module's own subject), its part number for any other source (-SourceSku SPE_E5 reads "SPE_E5", not "E4").
    /// </summary>
    public static class SourceSkuName
    {
        public static string Of(SkuInfo source) => E4SkuFamily.IsE4(source) ? "E4" : source.SkuPartNumber;

        /// <summary>For a source known only by name (a journal, an option): "E4" for an E4 part number, the name otherwise.</summary>
        public static string Of(string? partNumber) =>
            string.IsNullOrWhiteSpace(partNumber) || E4SkuFamily.IsE4(System.Guid.Empty, partNumber) ? "E4" : partNumber!;
    }
}
