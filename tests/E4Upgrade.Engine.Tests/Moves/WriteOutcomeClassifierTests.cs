using Xunit;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Engine.Tests.Moves;

public class WriteOutcomeClassifierTests
{
    [Theory]
    [InlineData(200, null, "Succeeded", null)]
    [InlineData(204, null, "Succeeded", null)]
    [InlineData(429, "Please retry again later.", "Throttled", null)]
    [InlineData(0, null, "Unknown", null)]
    [InlineData(408, null, "Unknown", null)]
    [InlineData(500, "An unexpected error occurred", "Unknown", null)]
    [InlineData(503, null, "Unknown", null)]
    [InlineData(504, null, "Unknown", null)]
    [InlineData(401, null, "TokenExpired", "TokenExpired")]
    [InlineData(403, "Insufficient privileges to complete the operation.", "AccessDenied", "PermissionMissing")]
    [InlineData(404, "Resource 'x' does not exist", "Failed", "UserNotFound")]
    [InlineData(400, "Subscription with SKU 06ebc4ee-1bb5-47dd-8120-11324bc54e06 does not have any available licenses.", "SeatsExhausted", "InsufficientLicenses")]
    [InlineData(400, "License assignment cannot be done for user with invalid usage location.", "Failed", "UsageLocationMissing")]
    [InlineData(400, "Invalid value specified for property 'usageLocation' of resource 'User'.", "Failed", "UsageLocationMissing")]
    [InlineData(400, "User license is inherited from a group membership and it cannot be removed directly from the user.", "Failed", "InheritedFromGroup")]
    [InlineData(400, "The service plan 1 does not belong to the license 2.", "Failed", "InvalidDisabledPlan")]
    [InlineData(400, "Conflicting service plans: MutuallyExclusiveViolation", "Failed", "LicenseConflict")]
    [InlineData(400, "User does not have a corresponding license.", "SourceGone", "GraphError")]
    public void Maps_Graph_answers_to_what_happens_next_and_the_error_id(int status, string? message, string kind, string? errorId)
    {
        var result = WriteOutcomeClassifier.Classify(new WriteOutcome { Status = status, ErrorMessage = message, ErrorCode = "Request_BadRequest" }, out var id);

        Assert.Equal(kind, result.ToString());
        if (errorId != null)
        {
            Assert.Equal(errorId, id);
        }
    }
}
