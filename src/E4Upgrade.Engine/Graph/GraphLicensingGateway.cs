using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Connection;
using E4Upgrade.Engine.Pacing;
using E4Upgrade.Engine.Resilience;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Abstractions;

namespace E4Upgrade.Engine.Graph
{
    /// <summary>
    /// <see cref="ILicensingGateway"/> over the Microsoft Graph SDK. Reads go through <see cref="ReadRetryPipeline"/>
    /// and failures surface as <see cref="E4UpgradeException"/>. Writes are sent exactly once and every item becomes a
    /// <see cref="WriteOutcome"/>, including whole-request failures (outer 429/5xx: the outer status; no answer: 0);
    /// only a rejected sign-in (401) or permission (403) on the whole request throws, since no retry can fix those.
    /// </summary>
    public sealed class GraphLicensingGateway : ILicensingGateway
    {
        public const int MaxPageSize = 999;
        internal static readonly string[] UserFields = { "id", "userPrincipalName", "usageLocation", "assignedLicenses", "licenseAssignmentStates" };
        internal static readonly string[] GroupFields = { "id", "displayName", "assignedLicenses", "licenseProcessingState" };

        private readonly GraphServiceClient _client;
        private readonly Uri _serviceRoot;
        private readonly GraphRequestSender _sender;
        private readonly ReadRetryPipeline _reads;
        private readonly RetryAfterHeader _retryAfter;
        private readonly GraphFailureTranslator _failures;
        private readonly Action<string>? _verbose;
        private readonly ResourceUnitBudget? _budget;
        private readonly DistinctUserCount _usersSeen = new DistinctUserCount();
        private readonly int _maxPages;

        /// <param name="client">A client built on <see cref="GraphHttpPipeline.CreateHttpClient"/> (no SDK retry handler).</param>
        /// <param name="serviceRoot">The validated Graph endpoint the client talks to, e.g. https://graph.microsoft.com/v1.0.</param>
        /// <param name="authMethod">Decides how a 401 is reported (TokenExpired for a static access token).</param>
        /// <param name="budget">The budget the client's pipeline paces under (<see cref="GraphHttpPipeline"/>): told how many different users the session has seen.</param>
        public GraphLicensingGateway(GraphServiceClient client, Uri serviceRoot, GraphAuthMethod authMethod, GraphResilienceOptions? resilience = null, Action<string>? verbose = null, ResourceUnitBudget? budget = null)
            : this(client, serviceRoot, authMethod, resilience, verbose, budget, null)
        {
        }

        /// <param name="retryAfter">The session's one Retry-After reader, shared with its HTTP pipeline; null gives the gateway one of its own.</param>
        internal GraphLicensingGateway(GraphServiceClient client, Uri serviceRoot, GraphAuthMethod authMethod, GraphResilienceOptions? resilience, Action<string>? verbose, ResourceUnitBudget? budget, RetryAfterHeader? retryAfter)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _serviceRoot = GraphEndpointPolicy.Validate(serviceRoot);
            _sender = new GraphRequestSender(client, _serviceRoot);
            resilience ??= new GraphResilienceOptions();
            _retryAfter = retryAfter ?? new RetryAfterHeader(resilience.MaxRetryAfter, verbose);
            _reads = new ReadRetryPipeline(resilience, _retryAfter, verbose);
            _failures = new GraphFailureTranslator(authMethod);
            _maxPages = resilience.MaxPages;
            _verbose = verbose;
            _budget = budget;
        }

        /// <summary>The session's read retries, for the few reads outside this gateway (GET /organization at connect).</summary>
        internal ReadRetryPipeline Reads => _reads;

        public async Task<IReadOnlyList<SkuInfo>> GetSubscribedSkusAsync(CancellationToken cancellationToken)
        {
            var skus = new List<SkuInfo>();
            var pages = ReadPagesAsync(
                "GET subscribedSkus",
                ct => _client.SubscribedSkus.GetAsync(cancellationToken: ct),
                (link, ct) => _client.SubscribedSkus.WithUrl(link).GetAsync(cancellationToken: ct),
                page => page.Value,
                page => page.OdataNextLink,
                cancellationToken);
            await foreach (var sku in pages.ConfigureAwait(false))
            {
                skus.Add(GraphModelMapper.ToSku(sku));
            }

            // consumedUnits is not taken as a user count: device-based licenses are assigned to devices.
            return skus;
        }

        public async Task<IReadOnlyList<SubscriptionInfo>> GetSubscriptionsAsync(CancellationToken cancellationToken)
        {
            var subscriptions = new List<SubscriptionInfo>();
            var pages = ReadPagesAsync(
                "GET directory/subscriptions",
                ct => _client.Directory.Subscriptions.GetAsync(cancellationToken: ct),
                (link, ct) => _client.Directory.Subscriptions.WithUrl(link).GetAsync(cancellationToken: ct),
                page => page.Value,
                page => page.OdataNextLink,
                cancellationToken);
            await foreach (var subscription in pages.ConfigureAwait(false))
            {
                subscriptions.Add(GraphModelMapper.ToSubscription(subscription));
            }

            return subscriptions;
        }

        public async IAsyncEnumerable<UserLicenses> ListUsersWithSkuAsync(Guid skuId, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var pages = ReadPagesAsync(
                $"GET users holding {skuId}",
                ct => _client.Users.GetAsync(
                    request =>
                    {
                        request.QueryParameters.Filter = SkuFilter(skuId);
                        request.QueryParameters.Select = UserFields;
                        request.QueryParameters.Top = MaxPageSize;
                    },
                    ct),
                (link, ct) => _client.Users.WithUrl(link).GetAsync(cancellationToken: ct),
                page => page.Value,
                page => page.OdataNextLink,
                cancellationToken);
            await foreach (var user in pages.ConfigureAwait(false))
            {
                Saw(user.Id);
                yield return GraphModelMapper.ToUser(user);
            }
        }

        public async IAsyncEnumerable<GroupLicenses> ListGroupsWithSkuAsync(Guid skuId, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var pages = ReadPagesAsync(
                $"GET groups assigning {skuId}",
                ct => _client.Groups.GetAsync(
                    request =>
                    {
                        request.QueryParameters.Filter = SkuFilter(skuId);
                        request.QueryParameters.Select = GroupFields;
                        request.QueryParameters.Top = MaxPageSize;
                    },
                    ct),
                (link, ct) => _client.Groups.WithUrl(link).GetAsync(cancellationToken: ct),
                page => page.Value,
                page => page.OdataNextLink,
                cancellationToken);
            await foreach (var group in pages.ConfigureAwait(false))
            {
                yield return GraphModelMapper.ToGroup(group);
            }
        }

        public async Task<GroupLicenses?> GetGroupAsync(string groupId, CancellationToken cancellationToken)
        {
            RequireKey(groupId, nameof(groupId));
            try
            {
                var group = await ReadAsync(
                    $"GET group {groupId}",
                    ct => _client.Groups[groupId].GetAsync(request => request.QueryParameters.Select = GroupFields, ct),
                    cancellationToken).ConfigureAwait(false);
                return group == null
                    ? throw Unreadable($"GET group {groupId}", "an empty body")
                    : GraphModelMapper.ToGroup(group);
            }
            catch (E4UpgradeException notFound) when (notFound.HttpStatus == 404)
            {
                return null;
            }
        }

        public async IAsyncEnumerable<UserLicenses> ListGroupMembersAsync(string groupId, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            RequireKey(groupId, nameof(groupId));
            var pages = ReadPagesAsync(
                $"GET members of group {groupId}",
                ct => _client.Groups[groupId].Members.GetAsync(
                    request =>
                    {
                        request.QueryParameters.Select = UserFields;
                        request.QueryParameters.Top = MaxPageSize;
                    },
                    ct),
                (link, ct) => _client.Groups[groupId].Members.WithUrl(link).GetAsync(cancellationToken: ct),
                // Members are directoryObjects told apart by @odata.type; only users carry licenses to move.
                page => page.Value?.OfType<User>().ToList(),
                page => page.OdataNextLink,
                cancellationToken);
            await foreach (var user in pages.ConfigureAwait(false))
            {
                Saw(user.Id);
                yield return GraphModelMapper.ToUser(user);
            }
        }

        public async Task<IReadOnlyList<UserLookup>> GetUsersAsync(IReadOnlyList<string> idsOrUserPrincipalNames, CancellationToken cancellationToken)
        {
            if (idsOrUserPrincipalNames == null)
            {
                throw new ArgumentNullException(nameof(idsOrUserPrincipalNames));
            }

            var keys = idsOrUserPrincipalNames.Where(key => !string.IsNullOrWhiteSpace(key)).Distinct(StringComparer.Ordinal).ToList();
            if (keys.Count > GraphRequestSender.MaxBatchSize)
            {
                throw new ArgumentException($"GetUsersAsync reads at most {GraphRequestSender.MaxBatchSize} distinct users per call; got {keys.Count}.", nameof(idsOrUserPrincipalNames));
            }

            var answers = new Dictionary<string, UserLookup>(StringComparer.Ordinal);
            if (keys.Count > 0)
            {
                var stepIds = keys.Select((key, index) => (key, id: (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
                var steps = new List<BatchStep>(stepIds.Count);
                foreach (var (key, id) in stepIds)
                {
                    var request = _client.Users[key].ToGetRequestInformation(r => r.QueryParameters.Select = UserFields);
                    steps.Add(await _sender.ToStepAsync(id, request, cancellationToken).ConfigureAwait(false));
                }

                var operation = $"GET {keys.Count} user(s) in $batch";
                var batch = await ReadBatchAsync(operation, steps, cancellationToken).ConfigureAwait(false);
                foreach (var (key, id) in stepIds)
                {
                    answers[key] = ToLookup(key, id, batch);
                    Saw(answers[key].User?.Id);
                }

                WordSignInRefusals(answers.Values.Where(a => a.Failure != null).Select(a => a.Failure!), operation);
            }

            return idsOrUserPrincipalNames
                .Select(key => key != null && answers.TryGetValue(key, out var found)
                    ? found
                    : new UserLookup { Key = key ?? "", NotFound = true })
                .ToList();
        }

        public async Task<IReadOnlyList<WriteOutcome>> SendWritesAsync(IReadOnlyList<WriteRequest> writes, CancellationToken cancellationToken)
        {
            ValidateWrites(writes);
            if (writes.Count == 0)
            {
                return Array.Empty<WriteOutcome>();
            }

            var steps = new List<BatchStep>(writes.Count);
            foreach (var write in writes)
            {
                steps.Add(await _sender.ToStepAsync(write.RequestId, BuildWrite(write), cancellationToken).ConfigureAwait(false));
            }

            var ids = writes.Select(write => write.RequestId).ToList();
            var operation = $"POST $batch of {writes.Count} write(s)";
            BatchResponse batch;
            try
            {
                batch = await _sender.PostBatchAsync(steps, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception failure) when (IsUnanswered(failure, cancellationToken))
            {
                _verbose?.Invoke($"{operation}: {RetryClassifier.Describe(failure)}; outcome unknown for every item.");
                return ids.Select(id => WriteOutcomeMapper.FromTransportFailure(id, failure)).ToList();
            }
            catch (Exception failure) when (!(failure is OperationCanceledException))
            {
                throw _failures.Translate(failure, operation);
            }

            ThrowIfSignInRejected(batch.Outer, operation);
            var outcomes = WriteOutcomeMapper.FromBatch(ids, batch, _retryAfter, DateTimeOffset.UtcNow);
            for (var i = 0; i < outcomes.Count; i++)
            {
                // Each item is worded with what its own request needed: a usage location's PATCH is not an assignLicense.
                WordSignInRefusals(new[] { outcomes[i] }, operation, writes[i].Kind == WriteKind.SetUsageLocation ? GraphPermissions.SetUsageLocation : GraphPermissions.AssignUserLicenses);
            }

            for (var i = 0; i < outcomes.Count; i++)
            {
                // An answer carrying another user than the one written proves nothing about this one: the move engine
                // then confirms by reading the user, as for an answer without licenses.
                if (outcomes[i].User != null && !UserAnswer.IsFor(writes[i].UserId, outcomes[i].User!))
                {
                    _verbose?.Invoke($"{operation}: the answer to {writes[i].RequestId} carries user {outcomes[i].User!.Id}, not {writes[i].UserId}; it is not taken as a confirmation.");
                    outcomes[i].User = null;
                }
            }

            _verbose?.Invoke($"{operation}: HTTP {batch.Outer.Status}; " + Summarize(outcomes));
            return outcomes;
        }

        public async Task<WriteOutcome> AssignGroupLicenseAsync(string groupId, LicenseChange change, CancellationToken cancellationToken)
        {
            RequireKey(groupId, nameof(groupId));
            if (change == null)
            {
                throw new ArgumentNullException(nameof(change));
            }

            var request = _client.Groups[groupId].AssignLicense.ToPostRequestInformation(new Microsoft.Graph.Groups.Item.AssignLicense.AssignLicensePostRequestBody
            {
                AddLicenses = GraphModelMapper.ToAssignedLicenses(change),
                RemoveLicenses = GraphModelMapper.ToRemovedLicenses(change),
            });
            var operation = $"POST groups/{groupId}/assignLicense";
            GraphResponse response;
            try
            {
                response = await _sender.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception failure) when (IsUnanswered(failure, cancellationToken))
            {
                _verbose?.Invoke($"{operation}: {RetryClassifier.Describe(failure)}; outcome unknown.");
                return WriteOutcomeMapper.FromTransportFailure(groupId, failure);
            }
            catch (Exception failure) when (!(failure is OperationCanceledException))
            {
                throw _failures.Translate(failure, operation);
            }

            ThrowIfSignInRejected(response, operation);
            var outcome = WriteOutcomeMapper.FromResponse(groupId, response, null, _retryAfter, DateTimeOffset.UtcNow);
            _verbose?.Invoke($"{operation}: HTTP {response.Status}{(outcome.ErrorCode != null ? " " + outcome.ErrorCode : "")}.");
            return outcome;
        }

        /// <summary>Every different user seen proves the tenant that much larger (the resource-unit tier goes by tenant size).</summary>
        private void Saw(string? userId)
        {
            if (_budget != null && _usersSeen.Add(userId))
            {
                _budget.TenantHasAtLeast(_usersSeen.Count);
            }
        }

        internal static string SkuFilter(Guid skuId) => $"assignedLicenses/any(x:x/skuId eq {skuId:D})";

        private RequestInformation BuildWrite(WriteRequest write)
        {
            var user = _client.Users[write.UserId];
            switch (write.Kind)
            {
                case WriteKind.AssignLicense:
                    // Both keys always go out: Graph rejects an assignLicense body that lacks either one.
                    return user.AssignLicense.ToPostRequestInformation(new Microsoft.Graph.Users.Item.AssignLicense.AssignLicensePostRequestBody
                    {
                        AddLicenses = GraphModelMapper.ToAssignedLicenses(write.Change!),
                        RemoveLicenses = GraphModelMapper.ToRemovedLicenses(write.Change!),
                    });
                case WriteKind.SetUsageLocation:
                    return user.ToPatchRequestInformation(new User { UsageLocation = write.UsageLocation });
                default:
                    throw new ArgumentOutOfRangeException(nameof(write), write.Kind, "Unknown write kind.");
            }
        }

        private static void ValidateWrites(IReadOnlyList<WriteRequest> writes)
        {
            if (writes == null)
            {
                throw new ArgumentNullException(nameof(writes));
            }

            if (writes.Count > GraphRequestSender.MaxBatchSize)
            {
                throw new ArgumentException($"SendWritesAsync sends at most {GraphRequestSender.MaxBatchSize} writes per call; got {writes.Count}.", nameof(writes));
            }

            var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var write in writes)
            {
                if (write == null || string.IsNullOrWhiteSpace(write.RequestId) || string.IsNullOrWhiteSpace(write.UserId))
                {
                    throw new ArgumentException("Every write needs a RequestId and a UserId.", nameof(writes));
                }

                if (!ids.Add(write.RequestId))
                {
                    throw new ArgumentException($"RequestId '{write.RequestId}' appears twice; $batch ids must be unique (case-insensitively).", nameof(writes));
                }

                if (write.Kind == WriteKind.AssignLicense && write.Change == null)
                {
                    throw new ArgumentException($"Write '{write.RequestId}' is an assignLicense without a Change.", nameof(writes));
                }

                if (write.Kind == WriteKind.SetUsageLocation && string.IsNullOrWhiteSpace(write.UsageLocation))
                {
                    throw new ArgumentException($"Write '{write.RequestId}' sets no UsageLocation.", nameof(writes));
                }
            }
        }

        private async Task<BatchResponse> ReadBatchOnceAsync(string operation, IReadOnlyList<BatchStep> steps, CancellationToken cancellationToken)
        {
            var batch = await _sender.PostBatchAsync(steps, cancellationToken).ConfigureAwait(false);
            if (!batch.Outer.IsSuccess)
            {
                throw new GraphStatusException(batch.Outer, operation);
            }

            return batch;
        }

        /// <summary>A read-only $batch: retried as a whole like any read; once retries are spent, every item reports the failure.</summary>
        private async Task<BatchResponse> ReadBatchAsync(string operation, IReadOnlyList<BatchStep> steps, CancellationToken cancellationToken)
        {
            try
            {
                return await _reads.ExecuteAsync(ct => ReadBatchOnceAsync(operation, steps, ct), operation, cancellationToken).ConfigureAwait(false);
            }
            catch (GraphStatusException status) when (status.ResponseStatusCode != 401 && status.ResponseStatusCode != 403)
            {
                return BatchResponse.Parse(status.Response.Status, status.Response.Headers, status.Response.Body?.GetRawText());
            }
            catch (Exception failure) when (IsUnanswered(failure, cancellationToken))
            {
                return BatchResponse.Parse(0, GraphResponse.NewHeaderMap(), null);
            }
            catch (Exception failure) when (!(failure is OperationCanceledException))
            {
                throw _failures.Translate(failure, operation);
            }
        }

        private UserLookup ToLookup(string key, string id, BatchResponse batch)
        {
            var outcome = WriteOutcomeMapper.FromBatch(new[] { id }, batch, _retryAfter, DateTimeOffset.UtcNow)[0];
            outcome.RequestId = key;
            if (outcome.Status == 404)
            {
                return new UserLookup { Key = key, NotFound = true };
            }

            if (outcome.Succeeded && outcome.User != null && UserAnswer.IsFor(key, outcome.User))
            {
                return new UserLookup { Key = key, User = outcome.User };
            }

            if (outcome.Succeeded && outcome.User != null)
            {
                outcome.Status = 0;
                outcome.ErrorCode = WriteOutcomeMapper.UnreadableCode;
                outcome.ErrorMessage = $"Graph answered the read of '{key}' with another user ({outcome.User.Id}); the answer is not used.";
                outcome.User = null;
            }
            else if (outcome.Succeeded)
            {
                outcome.Status = 0;
                outcome.ErrorCode = WriteOutcomeMapper.UnreadableCode;
                outcome.ErrorMessage = "Graph answered without a user object.";
            }
            else if (batch.Outer.Status == 0)
            {
                outcome.ErrorCode = WriteOutcomeMapper.NoAnswerCode;
                outcome.ErrorMessage = "Graph did not answer, also after retries.";
            }

            return new UserLookup { Key = key, Failure = outcome };
        }

        private async Task<T> ReadAsync<T>(string operation, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
        {
            try
            {
                return await _reads.ExecuteAsync(read, operation, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception failure) when (IsUnparsable(failure))
            {
                // Kiota throws these for a success body that is not JSON (another content type, or broken JSON).
                throw Unreadable(operation, "a body that is not JSON", failure);
            }
            catch (Exception failure) when (!(failure is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                throw _failures.Translate(failure, operation);
            }
        }

        /// <summary>
        /// Streams the items of a paged collection one page at a time, following @odata.nextLink unchanged while
        /// <see cref="PagingGuard"/> allows it. A page that is empty or has no "value" is an error, never an empty list.
        /// </summary>
        private async IAsyncEnumerable<TItem> ReadPagesAsync<TPage, TItem>(
            string operation,
            Func<CancellationToken, Task<TPage?>> firstPage,
            Func<string, CancellationToken, Task<TPage?>> nextPage,
            Func<TPage, List<TItem>?> items,
            Func<TPage, string?> nextLink,
            [EnumeratorCancellation] CancellationToken cancellationToken)
            where TPage : class
        {
            var paging = new PagingGuard(_serviceRoot, _maxPages, operation);
            var page = await ReadAsync(operation, firstPage, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var pageItems = page == null ? null : items(page);
                if (pageItems == null)
                {
                    throw Unreadable(paging.Pages == 1 ? operation : $"{operation} (page {paging.Pages})", "an empty body or one without a \"value\" collection");
                }

                var link = nextLink(page!);
                page = null;
                foreach (var item in pageItems)
                {
                    if (item != null)
                    {
                        yield return item;
                    }
                }

                if (string.IsNullOrEmpty(link))
                {
                    yield break;
                }

                var next = paging.Follow(link!);
                page = await ReadAsync($"{operation} (page {paging.Pages})", ct => nextPage(next.OriginalString, ct), cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>A 2xx answer that is not the JSON the call returns (our choice: never read it as "nothing").</summary>
        private static E4UpgradeException Unreadable(string operation, string what, Exception? inner = null) =>
            new E4UpgradeException(
                ErrorIds.GraphAnswerUnreadable,
                ErrorCategoryNames.InvalidResult,
                $"{operation}: Graph answered with {what}; it was not read as an empty result.",
                inner);

        private void ThrowIfSignInRejected(GraphResponse response, string operation)
        {
            if (response.Status == 401 || response.Status == 403)
            {
                throw _failures.FromStatus(response.Status, response.Error?.Code, response.Error?.Message, operation);
            }
        }

        /// <summary>A 401 or 403 inside a $batch stays an outcome, carrying the error worded for the session's sign-in.</summary>
        private void WordSignInRefusals(IEnumerable<GraphAnswer> outcomes, string operation, PermissionNeed? need = null)
        {
            foreach (var outcome in outcomes.Where(outcome => outcome.Status == 401 || outcome.Status == 403))
            {
                outcome.SignInRefusal = _failures.FromStatus(outcome.Status, outcome.ErrorCode, outcome.ErrorMessage, operation, null, need);
            }
        }

        private static bool IsUnparsable(Exception failure) =>
            failure is System.Text.Json.JsonException || (failure is InvalidOperationException && !(failure is ObjectDisposedException));

        private static bool IsUnanswered(Exception failure, CancellationToken cancellationToken) =>
            !(failure is Microsoft.Kiota.Abstractions.ApiException)
            && RetryClassifier.IsTransient(failure, cancellationToken);

        private static void RequireKey(string value, string name)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException("A non-empty id is required.", name);
            }
        }

        private static string Summarize(IReadOnlyList<WriteOutcome> outcomes)
        {
            var succeeded = outcomes.Count(outcome => outcome.Succeeded);
            var throttled = outcomes.Where(outcome => outcome.Status == 429).ToList();
            var text = $"{succeeded} succeeded, {outcomes.Count - succeeded} failed";
            if (throttled.Count > 0)
            {
                var longest = throttled.Max(outcome => outcome.RetryAfter ?? TimeSpan.Zero);
                text += $", {throttled.Count} throttled (longest Retry-After {longest.TotalSeconds:0.###} s)";
            }

            return text + ".";
        }
    }
}
