using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using E4Upgrade.Engine.Upgrade;

namespace E4Upgrade.Infrastructure
{
    /// <summary>
    /// Tab completion for -TargetSku, -SourceSku, -FromSku and -ToSku: the connected tenant's SKUs (part number as the
    /// tenant spells it, seats in the tooltip), or the SKUs this module knows when no tenant is connected. Names with
    /// parentheses, slashes or spaces are completed in quotes, as PowerShell needs them.
    /// </summary>
    public sealed class SkuArgumentCompleter : IArgumentCompleter
    {
        private static readonly TimeSpan TenantReadTimeout = TimeSpan.FromSeconds(5);

        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var typed = (wordToComplete ?? "").Trim().Trim('\'', '"');
            return Candidates()
                .Where(c => c.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase) || c.Id.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
                .Select(c => new CompletionResult(Quote(c.Name), c.Name, CompletionResultType.ParameterValue, c.Tooltip))
                .ToList();
        }

        private static IEnumerable<(string Name, string Id, string Tooltip)> Candidates()
        {
            var skus = ModuleSession.Current?.TryReadSkus(TenantReadTimeout);
            if (skus != null)
            {
                return skus.Select(s => (s.SkuPartNumber, s.SkuId.ToString(),
                    $"{s.SkuPartNumber} ({s.SkuId}): {s.ConsumedUnits} of {s.EnabledUnits} seats used, {s.CapabilityStatus}"));
            }

            return E4SkuFamily.All.Select(k => (k.SkuPartNumber, k.SkuId?.ToString() ?? "",
                $"{k.ProductName} ({k.SkuId?.ToString() ?? "id read from the tenant"}); not connected: from the module's catalog"));
        }

        private static string Quote(string name) =>
            name.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.') ? name : "'" + name.Replace("'", "''") + "'";
    }
}
