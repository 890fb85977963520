using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;

namespace E4Upgrade.Benchmark.Strategies;

/// <summary>
/// The loop admins write today (Set-MgUserLicense in a foreach): one assignLicense at a time; the SDK's retry handler
/// is the only retry; whatever still fails is reported failed.
/// </summary>
public sealed class PerUserLoop : IBaselineStrategy
{
    public const string Name = "PerUserLoop";

    public async Task RunAsync(GraphServiceClient client, IReadOnlyList<BaselineUser> users, LicenseSwap swap, OutcomeRecorder outcomes, CancellationToken cancellationToken)
    {
        foreach (var user in users)
        {
            try
            {
                await client.Users[user.Id].AssignLicense.PostAsync(swap.Body(), cancellationToken: cancellationToken).ConfigureAwait(false);
                outcomes.RecordMoved(user);
            }
            catch (ODataError error)
            {
                outcomes.RecordFailed(user, $"{error.ResponseStatusCode} {error.Error?.Code}");
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The retry handler's "Too many retries performed" and transport failures land here.
                outcomes.RecordFailed(user, ex.GetType().Name);
            }
        }
    }
}
