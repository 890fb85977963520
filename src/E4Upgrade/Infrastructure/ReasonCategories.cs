using System.Management.Automation;
using E4Upgrade.Engine;

namespace E4Upgrade.Infrastructure
{
    /// <summary>The ErrorCategory each per-user failure reason is reported under.</summary>
    internal static class ReasonCategories
    {
        public static ErrorCategory For(string? reason)
        {
            switch (reason)
            {
                case ErrorIds.UserNotFound:
                case ErrorIds.SkuNotFound:
                case ErrorIds.SourceLicenseNotAssigned:
                    return ErrorCategory.ObjectNotFound;
                case ErrorIds.UsageLocationMissing:
                    return ErrorCategory.InvalidData;
                case ErrorIds.InsufficientLicenses:
                    return ErrorCategory.QuotaExceeded;
                case ErrorIds.InheritedFromGroup:
                case ErrorIds.LicenseConflict:
                    return ErrorCategory.InvalidOperation;
                case ErrorIds.InvalidUserIdentity:
                case ErrorIds.InvalidDisabledPlan:
                    return ErrorCategory.InvalidArgument;
                case ErrorIds.AccessDenied:
                case ErrorIds.PermissionMissing:
                    return ErrorCategory.PermissionDenied;
                case ErrorIds.TokenExpired:
                case ErrorIds.AuthenticationFailed:
                    return ErrorCategory.AuthenticationError;
                case ErrorIds.RetriesExhausted:
                    return ErrorCategory.ResourceUnavailable;
                case ErrorIds.Cancelled:
                    return ErrorCategory.OperationStopped;
                default:
                    return ErrorCategory.NotSpecified;
            }
        }
    }
}
