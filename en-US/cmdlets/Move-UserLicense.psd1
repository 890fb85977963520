@{
    Synopsis    = 'Swaps one license SKU for another on each user, in one atomic assignLicense call per user.'
    Description = @'
Move-UserLicense replaces the -FromSku license with the -ToSku license on every user it receives. Each user gets one POST /users/{id}/assignLicense that adds the target and removes the source together, so no user is ever left without a license. Users are sent 20 per Graph $batch with several batches in flight, paced under Graph's write limits; throttled and failed items inside a batch are retried after their own Retry-After, and before retrying a write whose outcome is unknown the user is read again, so nobody is written twice.

Disabled plans are carried across: each disabled plan of the source maps to the target plan of the same service (FORMS_PLAN_E3 to FORMS_PLAN_E5 and the like); plans with no counterpart are dropped and reported in DroppedPlans. -DisabledPlans replaces the mapping.

A user who already holds the target and not the source is reported AlreadyMoved with no write. A user whose source license comes from a group is not touched (Skipped, InheritedFromGroup, with the group id): move it at the group, as Start-E4Upgrade does. A user without a usage location fails with UsageLocationMissing unless -UsageLocation is given. When the target runs out of seats the cmdlet stops writing and reports every remaining user InsufficientLicenses.

Users come from the pipeline: strings (object id or userPrincipalName) or objects with an Id, UserId, ObjectId or UserPrincipalName property (Import-Csv rows, Get-MgUser output). Duplicates are moved once. One result object is written per input row: a row naming a user an earlier row already named gets Status Skipped, Reason DuplicateInput (not an error); every failure also writes a non-terminating error with a specific error id, so -ErrorAction Stop works.

-WhatIf reads every user and reports what would happen (Status WouldMove) without writing. -Confirm asks once per 100 users.
'@
    Parameters  = @{
        User          = 'The users to move: object ids or userPrincipalNames, or objects with an Id, UserId, ObjectId or UserPrincipalName property. Accepts pipeline input.'
        FromSku       = 'The SKU to remove, by part number (ENTERPRISEWITHSCAL) or skuId GUID.'
        ToSku         = 'The SKU to assign, by part number (ENTERPRISEPACK, ENTERPRISEPREMIUM, SPE_E3, SPE_E5) or skuId GUID. It must have free seats.'
        DisabledPlans = 'Service plans of the target to disable for every user, by name or id, instead of the plans mapped from each user''s source license. Pass an empty array to enable every plan.'
        UsageLocation = 'An ISO 3166-1 alpha-2 country code (US, DE, GB, ...) set on users who have none before the license is assigned (Graph requires a usage location for direct assignment). Any other value stops the command before any change with error id InvalidUsageLocation.'
    }
    Examples    = @(
        @{
            Title   = 'A CSV of users'
            Code    = 'Import-Csv users.csv | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 | Export-Csv results.csv -NoTypeInformation'
            Remarks = 'users.csv needs a UserPrincipalName or Id column. Every user gets one result row in results.csv.'
        }
        @{
            Title   = 'Preview first'
            Code    = 'Get-Content upns.txt | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku ENTERPRISEPREMIUM -WhatIf | Group-Object Status'
            Remarks = 'Reads each user and reports WouldMove, AlreadyMoved, Skipped or Failed without changing anything.'
        }
        @{
            Title   = 'Users from the Graph PowerShell SDK, stopping on the first error'
            Code    = 'Get-MgUser -Filter "department eq ''Sales''" -All | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E3 -UsageLocation US -ErrorAction Stop'
            Remarks = 'Users without a usage location get US first. Note that E4''s voice conferencing plan has no counterpart in Microsoft 365 E3.'
        }
    )
    InputDescriptions = @{ 'System.Management.Automation.PSObject' = 'Strings (object id or userPrincipalName), or objects with an Id, UserId, ObjectId or UserPrincipalName property, such as Import-Csv rows or Get-MgUser output.' }
    OutputDescriptions = @{ 'E4Upgrade.Output.LicenseMoveResult' = 'One per user: status, reason, disabled plans before and after, dropped plans, attempts.' }
    Notes       = 'Error ids per user: UserNotFound, InvalidUserIdentity, UsageLocationMissing, InsufficientLicenses, InheritedFromGroup, SourceLicenseNotAssigned, InvalidDisabledPlan, RetriesExhausted, GraphError. For the whole run: NotConnected, SkuNotFound, InvalidUsageLocation, TokenExpired, AccessDenied. A duplicate input row gets Status Skipped, Reason DuplicateInput, and no error.'
}
