@{
    Synopsis    = 'Finds every reason the move from E4 to a target SKU would fail or lose something, before any change.'
    Description = @'
Test-E4UpgradeEligibility reads the tenant (subscribed SKUs, subscriptions, every user holding E4 and every group assigning it) and returns one report: IsEligible, counts of E4 users (direct and through groups), free target seats, and a list of findings. Each finding has a Code, a Severity (Blocker or Warning), a Message, and the affected users or groups where there are some (the first 100 are listed; AffectedCount has the total).

Finding codes: NoE4Subscription, E4NotActive, TargetNotFound (names each target SKU the tenant lacks), TargetNotActive (a Blocker when a target SKU is suspended, locked out or deleted, or a core service - Exchange, SharePoint, Teams, Office apps - is still PendingProvisioning; a Warning when it is in its grace period or another plan is still provisioning), PlansNeedActivation (a Warning, never a blocker: plans an admin activates, such as INTUNE_O365, which stays PendingActivation in most real tenants), TargetIsTrial, TargetSameAsSource, InsufficientTargetSeats (per target SKU: names the SKU that is short), UsageLocationMissing (direct users without a usage location), E4AssignedByGroup (these move at the group), DisabledPlansWithoutCounterpart, ServiceLoss (a Blocker: Exchange, SharePoint/OneDrive, Teams or the Office apps that E4 users have enabled get no counterpart in the target; names the plans, the number of users and the SKU the tenant holds that would supply them), FeatureLoss (a Warning: the same for any other plan, such as E4''s voice conferencing plan MCOVOICECONF on an E3 target), RedundantAddOns (add-on SKUs such as MCOMEETADV whose every plan the target includes: the SKU, the users and the seats freed), PlanDependencyAdjusted (users or groups with a base plan such as TEAMS1 disabled on E4: the target plans that depend on it, such as MCOEV and MCOMEETADV, are disabled too, because Graph rejects them otherwise), GroupMemberConflicts (a Warning: users licensed through a group whom Graph is expected to refuse the target, from their other licenses (Exchange Online Plan 1 next to the target''s Plan 2: MutuallyExclusiveViolation; a target plan whose base they would not have: DependencyViolation) or a usage location the tenant already shows ProhibitedInUsageLocationViolation for; a group swap would leave them with neither license, so Start-E4Upgrade does not swap their groups unless -AcceptFinding GroupMemberConflicts), MultipleE4Subscriptions, MissingPermission (a Blocker per permission the run will need that the connected token''s roles (app) or scp (delegated) lack, named in the message; group permissions only when groups assign the source SKU; not checked for an opaque token), DelegatedRoleNotChecked (a Warning for a delegated token: its scopes were checked, the signed-in user''s directory role cannot be).

The report also gives TargetSeats (per target SKU: needed and free), ExpectedDuration (the direct users at Graph''s write quota of 3,000 writes per 2.5 minutes), GroupProcessingEstimate (Entra''s processing of group members: an upper estimate, as Microsoft publishes no rate) and DurationEstimate (both in words).

These follow the reasons the Microsoft 365 admin center gives for refusing an upgrade. The cmdlet only reads; a tenant of 100,000 users is checked in seconds of local time (one listing, no per-user reads).
'@
    Parameters  = @{
        TargetSku     = 'The SKU or SKUs to move to: a suite, then any add-ons given in the same call (-TargetSku ''Microsoft_365_E5_(no_Teams)'',Microsoft_Teams_Enterprise_New). Each by part number exactly as the tenant spells it (SPE_E5, ''Microsoft_365_E5_(no_Teams)'', ''O365_w/o_Teams_Bundle_M5'': quote names with parentheses, slashes or spaces) or by skuId GUID; Tab completes the connected tenant''s SKUs, or the module''s catalog when not connected.'
        SourceSku     = 'The SKU to move from, named like -TargetSku (Tab completes it). Defaults to the tenant''s Office 365 E4 SKU (ENTERPRISEWITHSCAL or a variant). With another source (SPE_E5 for Teams unbundling) every finding names that SKU instead of E4.'
        UsageLocation = 'The usage location (an ISO 3166-1 alpha-2 country code; anything else is refused with error id InvalidUsageLocation) Start-E4Upgrade or Move-UserLicense would set on users who have none; with it, missing usage locations are a warning instead of a blocker.'
    }
    Examples    = @(
        @{
            Title   = 'Check before moving to Microsoft 365 E5'
            Code    = @'
$report = Test-E4UpgradeEligibility -TargetSku SPE_E5
$report.IsEligible
$report.Findings | Format-Table Severity, Code, AffectedCount, Message -Wrap
'@
            Remarks = 'Lists blockers first. Start-E4Upgrade runs the same check and refuses on a blocker unless told to accept it.'
        }
        @{
            Title   = 'A suite without Teams plus Teams Enterprise'
            Code    = @'
Test-E4UpgradeEligibility -TargetSku 'Microsoft_365_E5_(no_Teams)'
Test-E4UpgradeEligibility -TargetSku 'Microsoft_365_E5_(no_Teams)', Microsoft_Teams_Enterprise_New | Select-Object IsEligible, TargetSku, ExpectedDuration
'@
            Remarks = 'The suite alone is a ServiceLoss blocker naming TEAMS1 and Microsoft_Teams_Enterprise_New; with both SKUs every E4 service has a counterpart.'
        }
        @{
            Title   = 'Who has no usage location'
            Code    = '(Test-E4UpgradeEligibility -TargetSku SPE_E3).Findings | Where-Object Code -eq UsageLocationMissing | Select-Object -ExpandProperty AffectedUsers'
            Remarks = 'The users to fix, or to pass -UsageLocation for.'
        }
    )
    OutputDescriptions = @{ 'E4Upgrade.Engine.Upgrade.EligibilityReport' = 'Whether the move can start, the user and group counts, and every finding (blocker or warning) with its code.' }
    Notes       = 'Error ids: NotConnected, SkuNotFound (an unknown -SourceSku), TokenExpired, PermissionMissing (Graph answered 403; the message names the permission to grant).'
}
