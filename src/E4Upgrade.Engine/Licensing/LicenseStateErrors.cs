namespace E4Upgrade.Engine.Licensing
{
    /// <summary>
    /// Maps licenseAssignmentState.error values (Graph's licenseAssignmentState resource: CountViolation,
    /// MutuallyExclusiveViolation, DependencyViolation, ProhibitedInUsageLocationViolation, UniquenessViolation, Other)
    /// to our error ids and words: the one mapping for a user's own assignment and a group member's.
    /// </summary>
    internal static class LicenseStateErrors
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
