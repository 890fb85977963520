using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace E4Upgrade.Engine.Graph
{
    /// <summary>
    /// The narrow edge between the engine's logic and Microsoft Graph. The Graph SDK implementation sends
    /// each call over HTTP; unit tests use fakes. Write methods make one attempt per item and report each
    /// item's outcome; retrying and pacing belong to the callers (see LicenseMoveEngine).
    /// </summary>
    public interface ILicensingGateway
    {
        Task<IReadOnlyList<SkuInfo>> GetSubscribedSkusAsync(CancellationToken cancellationToken);

        Task<IReadOnlyList<SubscriptionInfo>> GetSubscriptionsAsync(CancellationToken cancellationToken);

        /// <summary>Every user holding the SKU (direct or inherited), paged with $top=999.</summary>
        IAsyncEnumerable<UserLicenses> ListUsersWithSkuAsync(Guid skuId, CancellationToken cancellationToken);

        /// <summary>Every group that assigns the SKU.</summary>
        IAsyncEnumerable<GroupLicenses> ListGroupsWithSkuAsync(Guid skuId, CancellationToken cancellationToken);

        Task<GroupLicenses?> GetGroupAsync(string groupId, CancellationToken cancellationToken);

        /// <summary>The members of a group with their license states.</summary>
        IAsyncEnumerable<UserLicenses> ListGroupMembersAsync(string groupId, CancellationToken cancellationToken);

        /// <summary>Reads up to 20 users by id or UPN in one $batch. Missing users come back with NotFound set.</summary>
        Task<IReadOnlyList<UserLookup>> GetUsersAsync(IReadOnlyList<string> idsOrUserPrincipalNames, CancellationToken cancellationToken);

        /// <summary>Sends up to 20 writes in one $batch, one attempt each; one outcome per request, matched by RequestId.</summary>
        Task<IReadOnlyList<WriteOutcome>> SendWritesAsync(IReadOnlyList<WriteRequest> writes, CancellationToken cancellationToken);

        /// <summary>POST /groups/{id}/assignLicense (Graph answers 202; members are processed asynchronously).</summary>
        Task<WriteOutcome> AssignGroupLicenseAsync(string groupId, LicenseChange change, CancellationToken cancellationToken);
    }

    public sealed class UserLookup
    {
        public string Key { get; set; } = "";
        public UserLicenses? User { get; set; }
        public bool NotFound { get; set; }
        /// <summary>Set when the read itself failed (throttled, fault): status and Graph error code.</summary>
        public GraphAnswer? Failure { get; set; }
    }

    public enum WriteKind
    {
        AssignLicense,
        SetUsageLocation,
    }

    public sealed class WriteRequest
    {
        public string RequestId { get; set; } = "";
        public string UserId { get; set; } = "";
        public WriteKind Kind { get; set; }
        public LicenseChange? Change { get; set; }
        public string? UsageLocation { get; set; }
    }

    /// <summary>
    /// Graph's answer to one call or one $batch item, read or write: status, error, Retry-After and throttling headers.
    /// A read's failure is one of these; a write's answer is a <see cref="WriteOutcome"/>.
    /// </summary>
    public class GraphAnswer
    {
        /// <summary>HTTP status of the item; 0 when no answer came (connection dropped, timeout).</summary>
        public int Status { get; set; }
        public string? ErrorCode { get; set; }
        public string? ErrorMessage { get; set; }
        public TimeSpan? RetryAfter { get; set; }
        /// <summary>x-ms-throttle-limit-percentage when Graph sent it (0.8 to 1.8; never below 0.8).</summary>
        public double? ThrottleLimitPercentage { get; set; }
        /// <summary>x-ms-throttle-information of a 429: the limit that refused it; absent on a 429 sent under every limit.</summary>
        public string? ThrottleInformation { get; set; }
        /// <summary>For a 401 or 403: the error the run stops with, worded by the gateway for the session's sign-in.</summary>
        public E4UpgradeException? SignInRefusal { get; set; }
        public bool Succeeded => Resilience.RetryClassifier.IsSuccess(Status);
    }

    /// <summary>Graph's answer to one write: which request it answers, and the user when the answer carried it.</summary>
    public sealed class WriteOutcome : GraphAnswer
    {
        public string RequestId { get; set; } = "";
        /// <summary>The user with its licenses, when the answer (an assignLicense success) carried them.</summary>
        public UserLicenses? User { get; set; }
    }
}
