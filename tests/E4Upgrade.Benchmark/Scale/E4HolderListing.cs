using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Benchmark.Strategies;
using Microsoft.Graph;

namespace E4Upgrade.Benchmark.Scale;

/// <summary>
/// The listing an admin's script starts with, through the real Graph SDK: E4's skuId from subscribedSkus, then every
/// user holding it ($filter=assignedLicenses/any, $select, $top=999), following @odata.nextLink to the last page.
/// Timed from the subscribedSkus call to the last page; ids are kept to check that no page repeats or skips a user.
/// </summary>
public static class E4HolderListing
{
    public const int PageSize = 999;

    public static async Task<ListingResult> RunAsync(string graphUrl, string token, string skuPartNumber, CancellationToken cancellationToken)
    {
        var client = SdkClientFactory.Create(graphUrl, token, out var httpClient);
        using (httpClient)
        {
            var watch = Stopwatch.StartNew();
            var skus = await client.SubscribedSkus.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var sku = skus?.Value?.FirstOrDefault(s => string.Equals(s.SkuPartNumber, skuPartNumber, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidOperationException($"The tenant has no {skuPartNumber} SKU.");

            var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            long listed = 0;
            var pages = 0;
            var page = await client.Users.GetAsync(request =>
            {
                request.QueryParameters.Filter = $"assignedLicenses/any(x:x/skuId eq {sku.SkuId})";
                request.QueryParameters.Select = new[] { "id", "userPrincipalName", "usageLocation", "assignedLicenses" };
                request.QueryParameters.Top = PageSize;
            }, cancellationToken).ConfigureAwait(false);
            while (page is not null)
            {
                pages++;
                foreach (var user in page.Value ?? new())
                {
                    listed++;
                    ids.Add(user.Id ?? "");
                }

                page = string.IsNullOrEmpty(page.OdataNextLink)
                    ? null
                    : await client.Users.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            watch.Stop();
            return new ListingResult(watch.Elapsed.TotalSeconds, listed, ids.Count, pages);
        }
    }
}

/// <summary>A full listing: its wall time, users returned, distinct ids among them and pages fetched.</summary>
public sealed record ListingResult(double Seconds, long Listed, int Distinct, int Pages);
