using System;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using Azure;
using Azure.Identity;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>
    /// Words what storage or the credential answered for a journal blob as one error id each. Messages name the blob
    /// without its SAS and carry storage's status and error code, never its exception text (which may quote headers).
    /// </summary>
    internal static class BlobJournalErrors
    {
        public static T Guard<T>(string location, Func<T> call)
        {
            try
            {
                return call();
            }
            catch (E4UpgradeException)
            {
                throw;
            }
            catch (Exception ex) when (Translate(location, ex) is { } translated)
            {
                throw translated;
            }
        }

        /// <summary>The error for a failed storage call; null for an exception that is not storage's (a bug: not hidden).</summary>
        public static E4UpgradeException? Translate(string location, Exception ex)
        {
            switch (ex)
            {
                case AuthenticationFailedException _:
                    return Denied(location, "the credential could not get a token for storage (https://storage.azure.com/.default)");
                case RequestFailedException failed when failed.Status == 401 || failed.Status == 403:
                    return Denied(location, $"storage answered {failed.Status} {failed.ErrorCode}");
                case RequestFailedException failed when failed.Status == 404 && failed.ErrorCode == "ContainerNotFound":
                    return new E4UpgradeException(ErrorIds.InvalidJournalUrl, ErrorCategoryNames.ObjectNotFound,
                        $"The container of the journal URL '{location}' does not exist. Create the container (the journal blob is created in it), or correct the URL.");
                case RequestFailedException failed when failed.Status == 404 && failed.ErrorCode == "ResourceNotFound":
                    return Unreachable(location, "storage answered 404 ResourceNotFound: the account in the URL does not exist there");
                case RequestFailedException failed when failed.Status == 0:
                    return Unreachable(location, "no answer from storage");
                case RequestFailedException failed:
                    return Unreachable(location, $"storage answered {failed.Status} {failed.ErrorCode}");
                case AggregateException _:
                case HttpRequestException _:
                case SocketException _:
                case IOException _:
                case OperationCanceledException _:
                    return Unreachable(location, "no answer from storage");
                default:
                    return null;
            }
        }

        /// <summary>An append's failure as the journal writer expects it (an IOException: JournalWriteFailed).</summary>
        public static IOException WriteFailure(Exception ex) => ex switch
        {
            RequestFailedException failed when failed.ErrorCode == "BlockCountExceedsLimit" =>
                new IOException("a segment of the journal holds Azure's maximum of 50,000 blocks although the journal counted fewer"),
            RequestFailedException failed when failed.ErrorCode == "LeaseIdMismatchWithBlobOperation" || failed.ErrorCode == "LeaseNotPresentWithBlobOperation" || failed.ErrorCode == "LeaseLost" =>
                new IOException($"the run lost its lease on the blob ({failed.ErrorCode}): its renewals did not reach storage for a whole lease, and another job may hold it now"),
            RequestFailedException failed => new IOException($"storage answered {failed.Status} {failed.ErrorCode}"),
            AuthenticationFailedException _ => new IOException("the credential could not get a token for storage"),
            _ => new IOException("no answer from storage"),
        };

        private static E4UpgradeException Denied(string location, string why) =>
            new E4UpgradeException(ErrorIds.JournalStorageDenied, ErrorCategoryNames.PermissionDenied,
                $"Storage refused the journal '{location}' ({why}). With a SAS: it must be valid now and allow read, add, create and write on the blob. " +
                "With Connect-E4Upgrade's identity (a managed identity): give it the role Storage Blob Data Contributor on the storage account or the container. Nothing was changed in the tenant.");

        private static E4UpgradeException Unreachable(string location, string why) =>
            new E4UpgradeException(ErrorIds.JournalStorageUnreachable, ErrorCategoryNames.ConnectionError,
                $"The journal '{location}' could not be reached ({why}). Check the account name in the URL and that this computer (or the Automation sandbox) reaches it over https; nothing was changed in the tenant.");
    }
}
