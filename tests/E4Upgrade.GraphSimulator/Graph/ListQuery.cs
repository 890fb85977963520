using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace E4Upgrade.GraphSimulator.Graph;

/// <summary>$top, $select, $filter, $skiptoken and $count for collection GETs, with Graph's validation.</summary>
internal sealed partial class ListQuery
{
    public const int DefaultPageSize = 100;

    private ListQuery(GraphRequest request)
    {
        Request = request;
    }

    public GraphRequest Request { get; }
    public int Top { get; private set; } = DefaultPageSize;
    public IReadOnlyList<string>? Select { get; private set; }
    public Guid? SkuFilter { get; private set; }
    public bool HasMembersWithLicenseErrorsFilter { get; private set; }
    public int AfterOrdinal { get; private set; } = -1;
    public bool Count { get; private set; }

    public static IReadOnlyList<string>? ParseSelect(GraphRequest request) =>
        request.GetQuery("$select") is { Length: > 0 } select
            ? select.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : null;

    public static ListQuery? Parse(GraphRequest request, string resourceName, bool allowGroupFilters, out GraphResponse? error)
    {
        error = null;
        var query = new ListQuery(request) { Select = ParseSelect(request) };
        if (request.GetQuery("$top") is { } top)
        {
            if (!int.TryParse(top, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) || size < 1 || size > 999)
            {
                error = GraphErrors.UnsupportedQuery($"Invalid page size specified: '{top}'. Must be between 1 and 999 inclusive.");
                return null;
            }

            query.Top = size;
        }

        if (request.GetQuery("$filter") is { Length: > 0 } filter)
        {
            var match = SkuFilterPattern().Match(filter);
            if (match.Success && Guid.TryParse(match.Groups["sku"].Value, out var skuId))
            {
                query.SkuFilter = skuId;
            }
            else if (allowGroupFilters && HasErrorsPattern().IsMatch(filter))
            {
                query.HasMembersWithLicenseErrorsFilter = true;
            }
            else
            {
                error = GraphErrors.UnsupportedQuery($"Unsupported or invalid query filter clause specified for resource '{resourceName}': '{filter}'.");
                return null;
            }
        }

        if (request.GetQuery("$skiptoken") is { Length: > 0 } skipToken)
        {
            if (!TryDecodeSkipToken(skipToken, out var after))
            {
                error = GraphErrors.BadRequest("The specified page token value has expired or is invalid.");
                return null;
            }

            query.AfterOrdinal = after;
        }

        // Like Graph, $count=true is honoured only with ConsistencyLevel: eventual and ignored otherwise.
        query.Count = string.Equals(request.GetQuery("$count"), "true", StringComparison.OrdinalIgnoreCase)
            && request.Headers.TryGetValue("ConsistencyLevel", out var level)
            && string.Equals(level, "eventual", StringComparison.OrdinalIgnoreCase);
        return query;
    }

    /// <summary>Builds a page: items are (ordinal, json) in ordinal order; takes Top and links to the rest.</summary>
    public JsonObject Page(string contextFragment, IEnumerable<(int Ordinal, Func<JsonObject> Build)> ordered, int? totalCount)
    {
        var value = new JsonArray();
        int? lastOrdinal = null;
        var more = false;
        foreach (var (ordinal, build) in ordered)
        {
            if (value.Count == Top)
            {
                more = true;
                break;
            }

            value.Add(build());
            lastOrdinal = ordinal;
        }

        var context = Select is null ? contextFragment : $"{contextFragment}({string.Join(',', Select)})";
        var page = new JsonObject { ["@odata.context"] = $"{Request.GraphBaseUrl}/$metadata#{context}" };
        if (Count && totalCount is { } count && AfterOrdinal < 0)
        {
            page["@odata.count"] = count;
        }

        if (more && lastOrdinal is { } last)
        {
            page["@odata.nextLink"] = NextLink(last);
        }

        page["value"] = value;
        return page;
    }

    private string NextLink(int lastOrdinal)
    {
        var parts = Request.RawQuery
            .Where(p => !string.Equals(Uri.UnescapeDataString(p.Key).TrimStart('$'), "skiptoken", StringComparison.OrdinalIgnoreCase))
            .Select(p => p.Value.Length == 0 ? p.Key : $"{p.Key}={p.Value}")
            .Append("$skiptoken=" + EncodeSkipToken(lastOrdinal));
        return $"{Request.GraphBaseUrl}/{Request.PathForLinks}?{string.Join('&', parts)}";
    }

    private static string EncodeSkipToken(int ordinal) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes("RFNwdA-" + ordinal.ToString(CultureInfo.InvariantCulture)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecodeSkipToken(string token, out int ordinal)
    {
        ordinal = -1;
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(base64));
            return text.StartsWith("RFNwdA-", StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(7), NumberStyles.Integer, CultureInfo.InvariantCulture, out ordinal)
                && ordinal >= 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^\s*assignedLicenses\s*/\s*any\s*\(\s*(?<v>\w+)\s*:\s*\k<v>\s*/\s*skuId\s+eq\s+'?(?<sku>[0-9a-fA-F-]{36})'?\s*\)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex SkuFilterPattern();

    [GeneratedRegex(@"^\s*hasMembersWithLicenseErrors\s+eq\s+true\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex HasErrorsPattern();
}
