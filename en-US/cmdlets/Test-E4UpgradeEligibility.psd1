@{
    Synopsis    = 'Finds every reason the move from E4 to a target SKU would fail or lose something, before any change.'
    Description = @'
Test-E4UpgradeEligibility reads the tenant (subscribed SKUs, subscriptions, every user holding E4 and every group assigning it) and returns one report: IsEligible, counts of E4 users (direct and through groups), free target seats, and a list of findings. Each finding has a Code, a Severity (Blocker or Warning), a Message, and the affected users or groups where there are some (the first 100 are listed; AffectedCount has the total).

Finding codes: NoE4Subscription, E4NotActive, TargetNotFound, TargetNotActive (suspended, locked out, deleted, in its grace period, or service plans still provisioning), TargetIsTrial, TargetSameAsSource, InsufficientTargetSeats (fewer free target seats than users who need one, direct and through groups, each counted once), UsageLocationMissing (direct users without a usage location), E4AssignedByGroup (these move at the group), DisabledPlansWithoutCounterpart, FunctionalityLost (E4 plans with no counterpart in the target, such as E4''s voice conferencing plan on an E3 target), FewerDataServices (back up data first), MultipleE4Subscriptions.

These follow the reasons the Microsoft 365 admin center gives for refusing an upgrade. The cmdlet only reads; a tenant of 100,000 users is checked in seconds of local time (one listing, no per-user reads).
'@
    Parameters  = @{
        TargetSku     = 'The SKU to move to, by part number (ENTERPRISEPACK, ENTERPRISEPREMIUM, SPE_E3, SPE_E5) or skuId GUID.'
        SourceSku     = 'The SKU to move from. Defaults to the tenant''s Office 365 E4 SKU (ENTERPRISEWITHSCAL or a variant).'
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
            Title   = 'Who has no usage location'
            Code    = '(Test-E4UpgradeEligibility -TargetSku SPE_E3).Findings | Where-Object Code -eq UsageLocationMissing | Select-Object -ExpandProperty AffectedUsers'
            Remarks = 'The users to fix, or to pass -UsageLocation for.'
        }
    )
    OutputDescriptions = @{ 'E4Upgrade.Engine.Upgrade.EligibilityReport' = 'Whether the move can start, the user and group counts, and every finding (blocker or warning) with its code.' }
    Notes       = 'Error ids: NotConnected, SkuNotFound (an unknown -SourceSku), TokenExpired, AccessDenied.'
}
