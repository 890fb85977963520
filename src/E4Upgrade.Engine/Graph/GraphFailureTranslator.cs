using System;
using System.IO;
using System.Net.Http;
using Azure.Identity;
using E4Upgrade.Engine.Connection;
using E4Upgrade.Engine.Resilience;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;

namespace E4Upgrade.Engine.Graph
{
    /// <summary>
    /// Turns whatever a Graph call threw into an <see cref="E4UpgradeException"/> with an error id and PowerShell
    /// category. Messages name the operation, the status and Graph's error code and message; never a token.
    /// </summary>
    public sealed class GraphFailureTranslator
    {
        private readonly GraphAuthMethod _authMethod;

        public GraphFailureTranslator(GraphAuthMethod authMethod)
        {
            _authMethod = authMethod;
        }

        public E4UpgradeException Translate(Exception exception, string operation)
        {
            switch (exception)
            {
                case E4UpgradeException known:
                    return known;
                case ODataError odata:
                    return FromStatus(odata.ResponseStatusCode, odata.Error?.Code, odata.Error?.Message, operation, odata);
                case GraphStatusException status:
                    return FromStatus(status.ResponseStatusCode, status.Response.Error?.Code, status.Response.Error?.Message, operation, status);
                case ApiException api:
                    return FromStatus(api.ResponseStatusCode, null, null, operation, api);
                case AuthenticationFailedException _: // includes CredentialUnavailableException
                    return new E4UpgradeException(
                        ErrorIds.AuthenticationFailed,
                        ErrorCategoryNames.AuthenticationError,
                        $"Sign-in for {operation} failed ({_authMethod}): {exception.Message}",
                        exception);
                case TimeoutException _:
                case OperationCanceledException _:
                    return new E4UpgradeException(ErrorIds.RetriesExhausted, ErrorCategoryNames.OperationTimeout, $"{operation}: Graph did not answer in time, also after retries.", exception);
                case HttpRequestException http when RetryClassifier.IsTlsRefusal(http):
                    return new E4UpgradeException(
                        ErrorIds.UntrustedCertificate,
                        ErrorCategoryNames.SecurityError,
                        $"{operation}: the TLS connection to the Graph endpoint was refused ({http.InnerException?.Message ?? http.Message}). "
                        + "Its certificate is not trusted here; for a test server with a self-signed certificate, pass that certificate's thumbprint with -TrustedCertificateThumbprint.",
                        exception);
                case HttpRequestException _:
                case IOException _:
                    return new E4UpgradeException(ErrorIds.RetriesExhausted, ErrorCategoryNames.ConnectionError, $"{operation}: {RetryClassifier.Describe(exception)}, also after retries.", exception);
                default:
                    return new E4UpgradeException(ErrorIds.GraphError, ErrorCategoryNames.NotSpecified, $"{operation} failed: {exception.GetType().Name}: {exception.Message}", exception);
            }
        }

        /// <param name="need">What the refused call needed, when the operation's text does not say it (one item of a $batch).</param>
        public E4UpgradeException FromStatus(int status, string? graphCode, string? graphMessage, string operation, Exception? inner = null, PermissionNeed? need = null)
        {
            var detail = $"HTTP {status}{(graphCode != null ? " " + graphCode : "")}{(string.IsNullOrEmpty(graphMessage) ? "" : ": " + graphMessage)}";
            E4UpgradeException result;
            switch (status)
            {
                case 401:
                    result = _authMethod == GraphAuthMethod.AccessToken
                        ? new E4UpgradeException(ErrorIds.TokenExpired, ErrorCategoryNames.AuthenticationError,
                            $"Graph rejected the access token for {operation} ({detail}). The token has expired or is not valid for this endpoint; connect again with a new token.", inner)
                        : new E4UpgradeException(ErrorIds.AuthenticationFailed, ErrorCategoryNames.AuthenticationError,
                            $"Graph rejected the sign-in for {operation} ({detail}). Check the tenant, the app and its credential, then connect again.", inner);
                    break;
                case 403:
                    result = new E4UpgradeException(ErrorIds.PermissionMissing, ErrorCategoryNames.PermissionDenied,
                        $"Graph denied {operation} ({detail}). " + PermissionMissingAdvice.For(need ?? GraphPermissions.ForOperation(operation), _authMethod), inner);
                    break;
                case 404:
                    result = new E4UpgradeException(ErrorIds.GraphError, ErrorCategoryNames.ObjectNotFound, $"{operation}: not found ({detail}).", inner);
                    break;
                case 429:
                    result = new E4UpgradeException(ErrorIds.RetriesExhausted, ErrorCategoryNames.LimitsExceeded, $"{operation}: Graph kept throttling ({detail}), also after retries.", inner);
                    break;
                default:
                    result = RetryClassifier.IsRetryable(status)
                        ? new E4UpgradeException(ErrorIds.RetriesExhausted, ErrorCategoryNames.ResourceUnavailable, $"{operation}: Graph is unavailable ({detail}), also after retries.", inner)
                        : new E4UpgradeException(ErrorIds.GraphError, ErrorCategoryNames.InvalidOperation, $"{operation} failed ({detail}).", inner);
                    break;
            }

            result.HttpStatus = status;
            result.GraphErrorCode = graphCode;
            return result;
        }
    }
}
