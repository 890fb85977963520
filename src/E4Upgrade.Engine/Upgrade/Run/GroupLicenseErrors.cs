namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>Maps licenseAssignmentState.error values of group licensing to our error ids.</summary>
    internal static class GroupLicenseErrors
    {
        public static string ToErrorId(string? error)
        {
            switch (error)
            {
                case "CountViolation": return ErrorIds.InsufficientLicenses;
                case "MutuallyExclusiveViolation":
                case "DependencyViolation": return ErrorIds.LicenseConflict;
                case "ProhibitedInUsageLocationViolation": return ErrorIds.UsageLocationMissing;
                default: return ErrorIds.GraphError;
            }
        }

        public static string Explain(string? error)
        {
            switch (error)
            {
                case "CountViolation": return "no free seats left";
                case "MutuallyExclusiveViolation": return "a plan conflicts with one the user already has";
                case "DependencyViolation": return "a plan needs another plan the user lacks";
                case "ProhibitedInUsageLocationViolation": return "the license is not allowed in the user's usage location";
                case "UniquenessViolation": return "the user's proxy address would collide";
                default: return "group licensing reported an error";
            }
        }
    }
}
