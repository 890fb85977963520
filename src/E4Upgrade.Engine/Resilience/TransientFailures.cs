using System;
using System.IO;
using System.Net.Http;
using System.Security.Authentication;
using System.Threading;
using Microsoft.Kiota.Abstractions;

namespace E4Upgrade.Engine.Resilience
{
    /// <summary>Which failures are worth another attempt, and how long Graph asked us to wait.</summary>
    public static class TransientFailures
    {
        /// <summary>429 throttled, 500/502/503/504 server or gateway trouble.</summary>
        public static bool IsRetriableStatus(int status) =>
            status == 429 || status == 500 || status == 502 || status == 503 || status == 504;

        /// <summary>True for a retriable HTTP status, a timeout, or a broken connection; never for the caller's own cancellation.</summary>
        public static bool IsTransient(Exception? exception, CancellationToken callerToken)
        {
            switch (exception)
            {
                case null:
                    return false;
                case ApiException api:
                    return IsRetriableStatus(api.ResponseStatusCode);
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

        /// <summary>Retry-After of a failed response, when the failure carries one.</summary>
        public static TimeSpan? RetryAfterOf(Exception? exception, DateTimeOffset now) =>
            exception is ApiException api
                ? GraphResponseHeaders.ParseRetryAfter(GraphResponseHeaders.Find(api.ResponseHeaders, GraphResponseHeaders.RetryAfter), now)
                : null;

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
