using System;
using System.IO;
using System.Net.Http;
using System.Security.Authentication;
using System.Threading;
using Microsoft.Kiota.Abstractions;

namespace E4Upgrade.Engine.Resilience
{
    /// <summary>What a failed answer means for a retry; the one list of statuses, shared by reads, writes and groups.</summary>
    internal enum RetryKind
    {
        /// <summary>A definite answer (2xx, or a 4xx other than 408/429): another attempt would get the same.</summary>
        None,
        /// <summary>429: not applied; retry after its Retry-After.</summary>
        Throttled,
        /// <summary>No answer (status 0), 408 or 5xx: the request may or may not have been applied.</summary>
        Unanswered,
    }

    /// <summary>
    /// The one answer to "did it succeed, and is another attempt worth it": the retry kind of a status or exception for
    /// reads, user writes, group writes and the session budget, and the wait when a 429 names none.
    /// </summary>
    internal static class RetryClassifier
    {
        /// <summary>
        /// The wait after a 429 that carries no Retry-After. Graph's throttling guidance asks clients to honour
        /// Retry-After and otherwise back off; 1 s is our choice (Graph's own sample waits are of that order).
        /// </summary>
        public static readonly System.TimeSpan DefaultThrottleWait = System.TimeSpan.FromSeconds(1);

        /// <summary>A 2xx answer: the request did what it asked (its body may still need checking).</summary>
        public static bool IsSuccess(int status) => status >= 200 && status < 300;

        public static RetryKind OfStatus(int status)
        {
            if (IsSuccess(status))
            {
                return RetryKind.None;
            }

            if (status == 429)
            {
                return RetryKind.Throttled;
            }

            return status == 0 || status == 408 || status >= 500 ? RetryKind.Unanswered : RetryKind.None;
        }

        public static bool IsRetryable(int status) => OfStatus(status) != RetryKind.None;

        /// <summary>True for a retryable HTTP status, a timeout, or a broken connection; never for the caller's own cancellation.</summary>
        public static bool IsTransient(Exception? exception, CancellationToken callerToken)
        {
            switch (exception)
            {
                case null:
                    return false;
                case ApiException api:
                    return IsRetryable(api.ResponseStatusCode);
                case HttpRequestException http when IsTlsRefusal(http):
                    return false; // the same certificate will be refused again
                case TimeoutException _:
                case HttpRequestException _:
                case IOException _:
                    return true;
                case OperationCanceledException _:
                    return !callerToken.IsCancellationRequested;
                default:
                    return false;
            }
        }

        /// <summary>True when the TLS handshake failed: the server's certificate was not trusted (or TLS could not be agreed).</summary>
        public static bool IsTlsRefusal(Exception exception)
        {
            for (var inner = exception.InnerException; inner != null; inner = inner.InnerException)
            {
                if (inner is AuthenticationException)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A short description without URLs' secrets or bodies, for logs and messages.</summary>
        public static string Describe(Exception exception) => exception switch
        {
            ApiException api when api.ResponseStatusCode != 0 => $"HTTP {api.ResponseStatusCode}",
            TimeoutException timeout => timeout.Message,
            HttpRequestException http => "connection failed: " + http.Message,
            IOException io => "connection failed: " + io.Message,
            OperationCanceledException _ => "timed out",
            _ => exception.GetType().Name,
        };
    }
}
