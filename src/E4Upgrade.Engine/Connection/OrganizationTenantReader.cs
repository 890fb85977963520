using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Resilience;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions;

namespace E4Upgrade.Engine.Connection
{
    /// <summary>
    /// The tenant id from GET /organization, for a session whose token names no tenant (no readable tid claim).
    /// Graph's organization resource: "id: The tenant ID, a unique identifier representing the organization (or
    /// tenant)"; List organizations: "There's only one organization object in the collection". Reading it needs
    /// Organization.Read.All or Directory.Read.All (application) or User.Read (delegated); without them, or on any other
    /// definite refusal, the tenant stays unknown and the reason is logged: connecting never fails for it.
    /// </summary>
    internal static class OrganizationTenantReader
    {
        /// <param name="reads">The session's read retries (its gateway's), so this read waits and logs as every other.</param>
        public static async Task<string?> ReadAsync(GraphServiceClient client, ReadRetryPipeline reads, Action<string>? verbose, CancellationToken cancellationToken)
        {
            try
            {
                var page = await reads.ExecuteAsync(
                    ct => client.Organization.GetAsync(request => request.QueryParameters.Select = new[] { "id" }, ct),
                    "GET organization",
                    cancellationToken).ConfigureAwait(false);
                var ids = page?.Value?.Select(o => o.Id).Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                if (ids == null || ids.Count != 1)
                {
                    verbose?.Invoke($"GET organization answered {ids?.Count ?? 0} organizations, not one: the tenant id stays unknown.");
                    return null;
                }

                verbose?.Invoke($"The access token names no tenant; GET organization gives tenant {ids[0]}.");
                return ids[0];
            }
            catch (Exception failure) when (failure is ApiException || RetryClassifier.IsTransient(failure, cancellationToken))
            {
                verbose?.Invoke($"The access token names no tenant and GET organization failed ({RetryClassifier.Describe(failure)}): the tenant id stays unknown.");
                return null;
            }
        }
    }
}
