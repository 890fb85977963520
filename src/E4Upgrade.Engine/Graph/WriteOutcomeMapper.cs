using System;
using System.Collections.Generic;
using System.Text.Json;
using E4Upgrade.Engine.Resilience;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Serialization.Json;

namespace E4Upgrade.Engine.Graph
{
    /// <summary>Maps Graph answers to <see cref="WriteOutcome"/>: one per request, never an exception.</summary>
    internal static class WriteOutcomeMapper
    {
        public const string NoAnswerCode = "NoResponse";
        public const string TimeoutCode = "Timeout";
        public const string ConnectionFailedCode = "ConnectionFailed";
        public const string UnreadableCode = "UnreadableResponse";

        /// <summary>One outcome per write, in the order of <paramref name="requestIds"/>, from a $batch answer.</summary>
        public static IReadOnlyList<WriteOutcome> FromBatch(IReadOnlyList<string> requestIds, BatchResponse batch, RetryAfterHeader retryAfter, DateTimeOffset now)
        {
            var outcomes = new List<WriteOutcome>(requestIds.Count);
            var outerPercentage = GraphResponseHeaders.ParseThrottleLimitPercentage(Header(batch.Outer, GraphResponseHeaders.ThrottleLimitPercentage));
            foreach (var id in requestIds)
            {
                if (!batch.Outer.IsSuccess)
                {
                    outcomes.Add(FromResponse(id, batch.Outer, null, retryAfter, now));
                }
                else if (batch.Unreadable)
                {
                    outcomes.Add(Unanswered(id, UnreadableCode, "Graph answered the $batch with a body that is not a batch response; the outcome is unknown."));
                }
                else if (batch.Items.TryGetValue(id, out var item))
                {
                    outcomes.Add(FromResponse(id, item, outerPercentage, retryAfter, now));
                }
                else
                {
                    outcomes.Add(Unanswered(id, NoAnswerCode, "The $batch answer has no item for this request; the outcome is unknown."));
                }
            }

            return outcomes;
        }

        /// <summary>Status, error, Retry-After and throttle percentage of one answer; the returned user on success.</summary>
        public static WriteOutcome FromResponse(string requestId, GraphResponse response, double? fallbackThrottlePercentage, RetryAfterHeader retryAfter, DateTimeOffset now)
        {
            var error = response.IsSuccess ? null : response.Error;
            return new WriteOutcome
            {
                RequestId = requestId,
                Status = response.Status,
                ErrorCode = error?.Code ?? (response.IsSuccess ? null : "HTTP" + response.Status),
                ErrorMessage = error?.Message,
                RetryAfter = retryAfter.Read(Header(response, GraphResponseHeaders.RetryAfter), now),
                ThrottleLimitPercentage = GraphResponseHeaders.ParseThrottleLimitPercentage(Header(response, GraphResponseHeaders.ThrottleLimitPercentage))
                    ?? fallbackThrottlePercentage,
                ThrottleInformation = Header(response, GraphResponseHeaders.ThrottleInformation),
                User = response.IsSuccess ? TryReadUser(response.Body) : null,
            };
        }

        /// <summary>No answer came (timeout, dropped connection): status 0, outcome unknown.</summary>
        public static WriteOutcome Unanswered(string requestId, string code, string message) => new WriteOutcome
        {
            RequestId = requestId,
            Status = 0,
            ErrorCode = code,
            ErrorMessage = message,
        };

        public static WriteOutcome FromTransportFailure(string requestId, Exception failure) =>
            Unanswered(requestId, failure is TimeoutException || failure is OperationCanceledException ? TimeoutCode : ConnectionFailedCode, RetryClassifier.Describe(failure));

        /// <summary>
        /// A user object with its licenses in a success body; null for anything else. assignLicense returns the updated
        /// user, but whether its answer carries assignedLicenses is not documented: without them the answer cannot
        /// confirm the move, and the engine reads the user instead.
        /// </summary>
        public static UserLicenses? TryReadUser(JsonElement? body)
        {
            if (body == null || body.Value.ValueKind != JsonValueKind.Object || !body.Value.TryGetProperty("id", out _)
                || !body.Value.TryGetProperty("assignedLicenses", out _))
            {
                return null;
            }

            var user = new JsonParseNode(body.Value).GetObjectValue(User.CreateFromDiscriminatorValue);
            return user == null ? null : GraphModelMapper.ToUser(user);
        }

        private static string? Header(GraphResponse response, string name) =>
            response.Headers.TryGetValue(name, out var value) ? value : null;
    }
}
