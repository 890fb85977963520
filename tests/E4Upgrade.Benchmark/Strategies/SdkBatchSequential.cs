using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Graph;
using Microsoft.Graph.Core.Requests;

namespace E4Upgrade.Benchmark.Strategies;

/// <summary>
/// The careful script: every user's assignLicense as a step of one BatchRequestContentCollection (20 per $batch),
/// posted with Batch.PostAsync (batches one after another), then the throttled or failed steps again with
/// NewBatchWithFailedRequests after the longest Retry-After, until none is left or the retry cap is reached.
/// Only 429 and 5xx are retried (retrying a 400 cannot help); the rest are reported failed.
/// NewBatchWithFailedRequests gives the copied steps new random ids, so after each round the script maps step ids
/// back to users from the steps' request URLs (/users/{id}/assignLicense).
/// </summary>
public sealed class SdkBatchSequential : IBaselineStrategy
{
    public const string Name = "SdkBatchSequential";
    public const int MaxRounds = 20;

    public async Task RunAsync(GraphServiceClient client, IReadOnlyList<BaselineUser> users, LicenseSwap swap, OutcomeRecorder outcomes, CancellationToken cancellationToken)
    {
        var byUserId = users.ToDictionary(u => u.Id, StringComparer.OrdinalIgnoreCase);
        var byStepId = byUserId;
        var pending = new BatchRequestContentCollection(client);
        foreach (var user in users)
        {
            var request = client.Users[user.Id].AssignLicense.ToPostRequestInformation(swap.Body());
            await pending.AddBatchRequestStepAsync(request, user.Id).ConfigureAwait(false);
        }

        var open = new HashSet<string>(byStepId.Keys, StringComparer.OrdinalIgnoreCase);
        for (var round = 1; open.Count > 0; round++)
        {
            BatchResponseContentCollection responses;
            try
            {
                responses = await client.Batch.PostAsync(pending, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One failed $batch throws away the answers of every batch of the collection: the script can only give up.
                foreach (var id in open)
                {
                    outcomes.RecordFailed(byStepId[id], "BatchPostFailed " + ex.GetType().Name);
                }

                return;
            }

            var statuses = await responses.GetResponsesStatusCodesAsync().ConfigureAwait(false);
            var retry = new Dictionary<string, HttpStatusCode>(StringComparer.OrdinalIgnoreCase);
            foreach (var (id, status) in statuses)
            {
                var code = (int)status;
                if (code is >= 200 and < 300)
                {
                    outcomes.RecordMoved(byStepId[id]);
                    open.Remove(id);
                }
                else if (code == 429 || code >= 500)
                {
                    retry[id] = status;
                }
                else
                {
                    outcomes.RecordFailed(byStepId[id], code.ToString(CultureInfo.InvariantCulture));
                    open.Remove(id);
                }
            }

            if (retry.Count == 0)
            {
                break;
            }

            if (round >= MaxRounds)
            {
                foreach (var id in retry.Keys)
                {
                    outcomes.RecordFailed(byStepId[id], "RetriesExhausted " + (int)retry[id]);
                    open.Remove(id);
                }

                break;
            }

            await Task.Delay(await LongestRetryAfterAsync(responses, retry.Keys).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            pending = pending.NewBatchWithFailedRequests(retry);
            byStepId = pending.BatchRequestSteps.ToDictionary(step => step.Key, step => byUserId[UserIdOf(step.Value.Request)], StringComparer.OrdinalIgnoreCase);
            open = new HashSet<string>(byStepId.Keys, StringComparer.OrdinalIgnoreCase);
        }
    }

    private static string UserIdOf(HttpRequestMessage request)
    {
        var segments = request.RequestUri!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var users = Array.FindIndex(segments, s => s.Equals("users", StringComparison.OrdinalIgnoreCase));
        return Uri.UnescapeDataString(segments[users + 1]);
    }

    private static async Task<TimeSpan> LongestRetryAfterAsync(BatchResponseContentCollection responses, IEnumerable<string> ids)
    {
        var longest = TimeSpan.Zero;
        foreach (var id in ids)
        {
            using var response = await responses.GetResponseByIdAsync(id).ConfigureAwait(false);
            var wait = RetryAfter(response);
            longest = wait > longest ? wait : longest;
        }

        return longest;
    }

    /// <summary>Retry-After in seconds, fractional allowed (Graph's own sample sends "2.128"), or an HTTP date.</summary>
    private static TimeSpan RetryAfter(HttpResponseMessage? response)
    {
        if (response is null || !response.Headers.NonValidated.TryGetValues("Retry-After", out var values))
        {
            return TimeSpan.Zero;
        }

        var text = values.FirstOrDefault() ?? "";
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Max(0, seconds));
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) && date > DateTimeOffset.UtcNow
            ? date - DateTimeOffset.UtcNow
            : TimeSpan.Zero;
    }
}
