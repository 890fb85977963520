@{
    Synopsis    = 'Swaps one license SKU for another on each user, in one atomic assignLicense call per user.'
    Description = @'
Move-UserLicense replaces the -SourceSku license with the -TargetSku license on every user it receives. Each user gets one POST /users/{id}/assignLicense that adds the target and removes the source together, so no user is ever left without a license. Users are sent 20 per Graph $batch with several batches in flight, paced under Graph's write limits; throttled and failed items inside a batch are retried after their own Retry-After, and before retrying a write whose outcome is unknown the user is read again, so nobody is written twice.

Disabled plans are carried across: each disabled plan of the source maps to the target plan of the same service (FORMS_PLAN_E3 to FORMS_PLAN_E5 and the like); plans with no counterpart are dropped and reported in DroppedPlans. -DisabledPlans replaces the mapping.

A user who already holds the target and not the source is reported AlreadyMoved with no write. A user whose source license comes from a group is not touched (Skipped, InheritedFromGroup, with the group id): move it at the group, as Start-E4Upgrade does. A user without a usage location fails with UsageLocationMissing unless -UsageLocation is given. When the target runs out of seats the cmdlet stops writing and reports every remaining user InsufficientLicenses.

Users come from the pipeline: strings (object id or userPrincipalName) or objects with an Id, UserId, ObjectId or UserPrincipalName property (Import-Csv rows, Get-MgUser output). Duplicates are moved once. One result object is written per input row: a row naming a user an earlier row already named gets Status Skipped, Reason DuplicateInput (not an error); every failure also writes a non-terminating error with a specific error id, so -ErrorAction Stop works.

-WhatIf reads every user and reports what would happen (Status WouldMove) without writing. -Confirm asks once per 100 users.
'@
    Parameters  = @{
        User          = 'The users to move: object ids or userPrincipalNames, or objects with an Id, UserId, ObjectId or UserPrincipalName property. Accepts pipeline input.'
        RemoveRedundantAddOns = 'Also remove, in the same call, add-on SKUs whose every plan the target includes (for example MCOMEETADV when moving to SPE_E5). An add-on is kept for a user who would have one of its plans disabled in the target. Each result lists what was removed in RemovedAddOns.'
        SourceSku     = 'The SKU to remove (alias -FromSku, its earlier name), by part number (ENTERPRISEWITHSCAL) or skuId GUID; Tab completes the connected tenant''s SKUs, or the module''s catalog when not connected.'
        TargetSku     = 'The SKU or SKUs to assign (alias -ToSku, its earlier name): a suite, then any add-ons (-TargetSku SPE_E3, MCOEV). Each by part number exactly as the tenant spells it (SPE_E5, ''Microsoft_365_E5_(no_Teams)'', ''O365_w/o_Teams_Bundle_M5'': quote names with parentheses, slashes or spaces) or by skuId GUID; Tab completes the connected tenant''s SKUs, or the module''s catalog when not connected; each must have free seats. All are added in the same assignLicense that removes -SourceSku; a user missing a seat of any of them is not changed (InsufficientLicenses names the SKU).'
        DisabledPlans = 'Service plans of the target to disable for every user, by name or id, instead of the plans mapped from each user''s source license. Pass an empty array to enable every plan.'
        UsageLocation = 'An ISO 3166-1 alpha-2 country code (US, DE, GB, ...) set on users who have none before the license is assigned (Graph requires a usage location for direct assignment). Any other value stops the command before any change with error id InvalidUsageLocation.'
    }
    Examples    = @(
        @{
            Title   = 'A CSV of users'
            Code    = 'Import-Csv users.csv | Move-UserLicense -SourceSku ENTERPRISEWITHSCAL -TargetSku SPE_E5 | Export-Csv results.csv -NoTypeInformation'
            Remarks = 'users.csv needs a UserPrincipalName or Id column. Every user gets one result row in results.csv.'
        }
        @{
            Title   = 'Preview first'
            Code    = 'Get-Content upns.txt | Move-UserLicense -SourceSku ENTERPRISEWITHSCAL -TargetSku ENTERPRISEPREMIUM -WhatIf | Group-Object Status'
            Remarks = 'Reads each user and reports WouldMove, AlreadyMoved, Skipped or Failed without changing anything.'
        }
        @{
            Title   = 'Users from the Graph PowerShell SDK, stopping on the first error'
            Code    = 'Get-MgUser -Filter "department eq ''Sales''" -All | Move-UserLicense -SourceSku ENTERPRISEWITHSCAL -TargetSku SPE_E3 -UsageLocation US -ErrorAction Stop'
            Remarks = 'Users without a usage location get US first. Note that E4''s voice conferencing plan has no counterpart in Microsoft 365 E3.'
        }
        @{
            Title   = 'E3 plus Teams Phone for the users who had E4''s voice plan'
            Code    = 'Import-Csv voice-users.csv | Move-UserLicense -SourceSku ENTERPRISEWITHSCAL -TargetSku SPE_E3, MCOEV'
            Remarks = 'Both SKUs are added in the one call that removes E4, so the users keep voice; a user missing a seat of either is not changed.'
        }
    )
    InputDescriptions = @{ 'System.Management.Automation.PSObject' = 'Strings (object id or userPrincipalName), or objects with an Id, UserId, ObjectId or UserPrincipalName property, such as Import-Csv rows or Get-MgUser output.' }
    OutputDescriptions = @{ 'E4Upgrade.Output.LicenseMoveResult' = 'One per user: status, reason, disabled plans before and after, dropped plans, plans disabled for a dependency (AdjustedPlans), add-ons removed (RemovedAddOns), attempts.' }
    Notes       = 'Error ids per user: UserNotFound, InvalidUserIdentity, UsageLocationMissing, InsufficientLicenses, InheritedFromGroup, SourceLicenseNotAssigned, InvalidDisabledPlan, PlanDependencyRejected (Graph still refused a plan dependency after one retry with the dependency applied), RetriesExhausted, GraphError. For the whole run: NotConnected, SkuNotFound, InvalidUsageLocation, TokenExpired, PermissionMissing (Graph answered 403; the message names the permission to grant). A duplicate input row gets Status Skipped, Reason DuplicateInput, and no error.'
}
