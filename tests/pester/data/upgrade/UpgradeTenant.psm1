# Builds small tenants in the Graph simulator's --tenant shape for the upgrade tests: the cases a generated tenant
# lacks (E4 or target not active, trials, pending provisioning, zero seats, no E4, several E4 subscriptions, chosen
# disabled plans, a user holding E4 and the target). SKUs and service plans come from the simulator's own catalog,
# read once per part number from a simulator (Get-SimulatorCatalogSku).

Import-Module (Join-Path $PSScriptRoot '../../E4Upgrade.TestHelpers.psm1')
$script:TenantId = '6b0d8a8e-2f4a-4c3e-9a51-3f2f1d7c0b11'
$script:CatalogSkus = @{}
# Read together on first use: one simulator start serves the SKUs the suite uses most.
$script:CommonSkus = @('ENTERPRISEWITHSCAL', 'ENTERPRISEPACK', 'ENTERPRISEPREMIUM', 'SPE_E3', 'SPE_E5')

# The E4 variants Microsoft lists; the catalog holds only ENTERPRISEWITHSCAL, so variants borrow its plans.
$script:KnownSkuIds = @{
    ENTERPRISEWITHSCAL_FACULTY       = '16732e85-c0e3-438e-a82f-71f39cbe2acb'
    ENTERPRISEWITHSCAL_STUDENT       = '05e8cabf-68b5-480f-a930-2143d472d959'
    ENTERPRISEPREMIUM_NOPSTNCONF     = '26d45bd9-adf1-46cd-a9e1-51e9a5524128'
}

function Get-CatalogSku([string] $PartNumber) {
    if (-not $script:CatalogSkus.ContainsKey($PartNumber)) {
        $wanted = @(@($script:CommonSkus) + $PartNumber | Where-Object { -not $script:CatalogSkus.ContainsKey($_) } | Select-Object -Unique)
        foreach ($sku in Get-SimulatorCatalogSku $wanted) { $script:CatalogSkus[$sku.skuPartNumber] = $sku }
    }
    $script:CatalogSkus[$PartNumber]
}

function Get-CatalogPlanId {
    <# .SYNOPSIS The servicePlanId of a plan of a catalog SKU, by name. #>
    param([Parameter(Mandatory)] [string] $PartNumber, [Parameter(Mandatory)] [string] $PlanName)
    $plan = (Get-CatalogSku $PartNumber).servicePlans | Where-Object servicePlanName -eq $PlanName
    if (-not $plan) { throw "Plan $PlanName is not in $PartNumber." }
    $plan.servicePlanId
}

function Get-TenantSkuId([object] $Tenant, [string] $PartNumber) {
    $sku = $Tenant.subscribedSkus | Where-Object skuPartNumber -eq $PartNumber
    if (-not $sku) { throw "The tenant has no SKU $PartNumber." }
    $sku.skuId
}

function New-UpgradeTenant {
    <#
    .SYNOPSIS
        An empty tenant (no SKU, user or group); add to it with Add-TenantSku, Add-TenantUser and Add-TenantGroup,
        then start a simulator on it with Start-TestSimulator -Tenant.
    #>
    [pscustomobject]@{
        subscribedSkus = [System.Collections.Generic.List[object]]::new()
        subscriptions  = [System.Collections.Generic.List[object]]::new()
        users          = [System.Collections.Generic.List[object]]::new()
        groups         = [System.Collections.Generic.List[object]]::new()
    }
}

function Add-TenantSku {
    <#
    .SYNOPSIS
        Adds a SKU from the catalog (or an E4 variant with -PlansFrom) with its linked subscription(s).
    .PARAMETER PendingPlans
        Service plans whose provisioningStatus is PendingProvisioning (a target not fully set up).
    .PARAMETER WithoutPlans
        Service plans left out of the SKU (a target with fewer services).
    .PARAMETER ActivationPlans
        Service plans whose provisioningStatus is PendingActivation (features an admin activates, such as INTUNE_O365).
    .PARAMETER SkuId
        The skuId of a SKU that is not in the catalog (with -PlansFrom or -Plans).
    .PARAMETER Plans
        The SKU's plans, each @{ Name = 'PLAN'; Id = 'guid' }, for a SKU the catalog lacks (an add-on, a no-Teams suite).
    #>
    param(
        [Parameter(Mandatory)] $Tenant,
        [Parameter(Mandatory)] [string] $PartNumber,
        [Parameter(Mandatory)] [int] $Seats,
        [string] $Status = 'Enabled',
        [switch] $Trial,
        [string[]] $PendingPlans = @(),
        [string[]] $WithoutPlans = @(),
        [string[]] $ActivationPlans = @(),
        [string] $PlansFrom,
        [string] $SkuId,
        [object[]] $Plans,
        [int] $Subscriptions = 1
    )
    $sourcePlans = if ($Plans) {
        @($Plans | ForEach-Object { [pscustomobject]@{ servicePlanId = $_.Id; servicePlanName = $_.Name } })
    } else {
        (Get-CatalogSku $(if ($PlansFrom) { $PlansFrom } else { $PartNumber })).servicePlans
    }
    $skuId = if ($SkuId) { $SkuId } elseif ($PlansFrom) { $script:KnownSkuIds[$PartNumber] } else { (Get-CatalogSku $PartNumber).skuId }
    if (-not $skuId) { throw "No skuId known for $PartNumber." }
    $plans = @($sourcePlans | Where-Object { $_.servicePlanName -notin $WithoutPlans } | ForEach-Object {
            [ordered]@{
                servicePlanId      = $_.servicePlanId
                servicePlanName    = $_.servicePlanName
                provisioningStatus = $(if ($_.servicePlanName -in $PendingPlans) { 'PendingProvisioning' } elseif ($_.servicePlanName -in $ActivationPlans) { 'PendingActivation' } else { 'Success' })
                appliesTo          = 'User'
            }
        })
    $commerceIds = @(1..$Subscriptions | ForEach-Object { [guid]::NewGuid().ToString() })
    $Tenant.subscribedSkus.Add([ordered]@{
            accountId        = $script:TenantId
            accountName      = 'Contoso'
            id               = "$($script:TenantId)_$skuId"
            skuId            = $skuId
            skuPartNumber    = $PartNumber
            appliesTo        = 'User'
            capabilityStatus = $Status
            prepaidUnits     = [ordered]@{ enabled = $Seats; suspended = 0; warning = 0; lockedOut = 0 }
            servicePlans     = $plans
            subscriptionIds  = $commerceIds
        })
    foreach ($commerceId in $commerceIds) {
        $Tenant.subscriptions.Add([ordered]@{
                id                     = [guid]::NewGuid().ToString()
                commerceSubscriptionId = $commerceId
                skuId                  = $skuId
                skuPartNumber          = $PartNumber
                status                 = $(if ($Status -eq 'Enabled') { 'Enabled' } else { $Status })
                isTrial                = [bool] $Trial
                totalLicenses          = [int] [math]::Ceiling($Seats / $Subscriptions)
                createdDateTime        = '2024-01-01T00:00:00Z'
                nextLifecycleDateTime  = $(if ($Trial) { '2026-12-31T00:00:00Z' } else { '2027-06-30T00:00:00Z' })
            })
    }
}

function ConvertTo-TenantLicense([object] $Tenant, [object] $License) {
    # 'SKU' or @{ Sku = 'SKU'; Disabled = @('PLAN', ...) }: disabled plans by name, from the SKU as the tenant has it.
    $partNumber = if ($License -is [string]) { $License } else { $License.Sku }
    $sku = $Tenant.subscribedSkus | Where-Object skuPartNumber -eq $partNumber
    if (-not $sku) { throw "The tenant has no SKU $partNumber." }
    $disabled = @(if ($License -isnot [string]) {
            foreach ($name in @($License.Disabled)) {
                ($sku.servicePlans | Where-Object servicePlanName -eq $name).servicePlanId
            }
        })
    [ordered]@{ skuId = $sku.skuId; disabledPlans = $disabled }
}

function Add-TenantUser {
    <#
    .SYNOPSIS
        Adds a user (UPN <name>@contoso.onmicrosoft.com) with direct licenses; returns the user.
    .PARAMETER Licenses
        Each 'SKU' or @{ Sku = 'SKU'; Disabled = @('PLAN') }.
    #>
    param(
        [Parameter(Mandatory)] $Tenant,
        [Parameter(Mandatory)] [string] $Name,
        [object[]] $Licenses = @(),
        [AllowEmptyString()] [string] $UsageLocation = 'US'
    )
    $user = [ordered]@{
        id                = [guid]::NewGuid().ToString()
        userPrincipalName = "$Name@contoso.onmicrosoft.com"
        displayName       = $Name
        mail              = "$Name@contoso.onmicrosoft.com"
        accountEnabled    = $true
        assignedLicenses  = @($Licenses | ForEach-Object { ConvertTo-TenantLicense $Tenant $_ })
    }
    if ($UsageLocation) { $user.usageLocation = $UsageLocation }
    $Tenant.users.Add($user)
    $user
}

function Add-TenantUsers {
    <# .SYNOPSIS Adds Count users named <Prefix>001.. with the same licenses; returns them. #>
    param([Parameter(Mandatory)] $Tenant, [Parameter(Mandatory)] [int] $Count, [string] $Prefix = 'user', [object[]] $Licenses = @('ENTERPRISEWITHSCAL'), [string] $UsageLocation = 'US')
    1..$Count | ForEach-Object { Add-TenantUser $Tenant -Name ('{0}{1:D3}' -f $Prefix, $_) -Licenses $Licenses -UsageLocation $UsageLocation }
}

function Add-TenantGroup {
    <# .SYNOPSIS Adds a security group assigning one license to the given users (user objects or UPNs); returns the group. #>
    param([Parameter(Mandatory)] $Tenant, [Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [object] $License, [object[]] $Members = @())
    $group = [ordered]@{
        id               = [guid]::NewGuid().ToString()
        displayName      = $Name
        securityEnabled  = $true
        mailEnabled      = $false
        groupTypes       = @()
        assignedLicenses = @(ConvertTo-TenantLicense $Tenant $License)
        members          = @($Members | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.id } })
    }
    $Tenant.groups.Add($group)
    $group
}

function Get-UserLicenseView {
    <#
    .SYNOPSIS
        Per user of a tenant read from /_simulator/tenant: which of two SKUs they hold directly, and which are active
        through groups, and any license error state.
    #>
    param([Parameter(Mandatory)] $Tenant, [Parameter(Mandatory)] [string] $SourceSkuId, [Parameter(Mandatory)] [string] $TargetSkuId)
    foreach ($user in $Tenant.users) {
        $states = @($user.licenseAssignmentStates)
        $direct = @($user.assignedLicenses)
        [pscustomobject]@{
            Id                  = $user.id
            UserPrincipalName   = $user.userPrincipalName
            UsageLocation       = $user.usageLocation
            DirectSource        = [bool] ($direct | Where-Object skuId -eq $SourceSkuId)
            DirectTarget        = [bool] ($direct | Where-Object skuId -eq $TargetSkuId)
            TargetDisabledPlans = @(($direct | Where-Object skuId -eq $TargetSkuId).disabledPlans | Where-Object { $_ })
            SourceDisabledPlans = @(($direct | Where-Object skuId -eq $SourceSkuId).disabledPlans | Where-Object { $_ })
            GroupSource         = [bool] ($states | Where-Object { $_.skuId -eq $SourceSkuId -and $_.assignedByGroup })
            GroupTargetActive   = [bool] ($states | Where-Object { $_.skuId -eq $TargetSkuId -and $_.assignedByGroup -and $_.state -eq 'Active' })
            HoldsSource         = [bool] ($states | Where-Object { $_.skuId -eq $SourceSkuId })
            HoldsTargetActive   = [bool] ($states | Where-Object { $_.skuId -eq $TargetSkuId -and $_.state -eq 'Active' })
            Errors              = @($states | Where-Object { $_.state -ne 'Active' -or ($_.error -and $_.error -ne 'None') })
        }
    }
}

function Get-ExpectedTargetPlans {
    <#
    .SYNOPSIS
        The target plan ids a set of disabled source plans should map to: the same id when the target has it, else
        the target plan of the same service (the name without its trailing tier number), else dropped; plus the plans
        that the simulator's model of Graph (its Data/licensing-rules.json) says need a base the user has none of left
        in the target (each listed base is enough; bases the target does not have do not count).
    #>
    param([Parameter(Mandatory)] $SourceSku, [Parameter(Mandatory)] $TargetSku, [string[]] $DisabledPlanIds = @())
    $stem = { param($name) $name -replace '\d+$', '' }
    $mapped = @(foreach ($id in $DisabledPlanIds) {
            if ($TargetSku.servicePlans.servicePlanId -contains $id) { $id; continue }
            $name = ($SourceSku.servicePlans | Where-Object servicePlanId -eq $id).servicePlanName
            $match = @($TargetSku.servicePlans | Where-Object { (& $stem $_.servicePlanName) -eq (& $stem $name) })
            if ($match.Count -eq 1) { $match[0].servicePlanId }
        })
    $rules = (Get-Content -Raw (Join-Path $PSScriptRoot '../../../E4Upgrade.GraphSimulator/Data/licensing-rules.json') | ConvertFrom-Json).dependencies
    $byName = @{}
    foreach ($plan in $TargetSku.servicePlans) { $byName[$plan.servicePlanName] = $plan.servicePlanId }
    do {
        $changed = $false
        foreach ($rule in $rules) {
            $id = $byName[$rule.plan]
            $bases = @($rule.requiresAnyOf | Where-Object { $byName.ContainsKey($_) } | ForEach-Object { $byName[$_] })
            if (-not $id -or $id -in $mapped -or $bases.Count -eq 0) { continue }
            if (@($bases | Where-Object { $_ -notin $mapped }).Count -eq 0) { $mapped += $id; $changed = $true }
        }
    } while ($changed)
    $mapped | Sort-Object -Unique
}

function New-StartE4UpgradeScript {
    <#
    .SYNOPSIS
        A pwsh script that connects to the simulator and runs Start-E4Upgrade with -ErrorAction Stop; it prints
        SUMMARY=<json> at the end, or ERRORID=/MESSAGE= lines and rethrows (exit code 1).
    #>
    param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] $Simulator, [Parameter(Mandatory)] [string] $Token,
        [Parameter(Mandatory)] [string] $Arguments)
    @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
Import-Module '$ModulePath'
Connect-E4Upgrade -AccessToken (ConvertTo-SecureString '$Token' -AsPlainText -Force) -GraphEndpoint '$($Simulator.GraphUrl)' | Out-Null
try {
    `$out = Start-E4Upgrade $Arguments -Confirm:`$false -WarningAction SilentlyContinue -ErrorAction Stop
    `$summary = `$out | Where-Object { `$_.PSObject.TypeNames[0] -like '*.UpgradeSummary' }
    'SUMMARY=' + (`$summary | ConvertTo-Json -Compress -Depth 3)
} catch {
    'ERRORID=' + `$_.FullyQualifiedErrorId
    'MESSAGE=' + `$_.Exception.Message
    throw
}
"@
}

function Get-RunSummary {
    <# .SYNOPSIS The UpgradeSummary a New-StartE4UpgradeScript run printed, or $null. #>
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [string[]] $Output)
    $line = $Output | Where-Object { $_ -like 'SUMMARY=*' } | Select-Object -Last 1
    if ($line) { $line.Substring(8) | ConvertFrom-Json }
}

Export-ModuleMember -Function New-UpgradeTenant, Add-TenantSku, Add-TenantUser, Add-TenantUsers, Add-TenantGroup,
    Get-CatalogSku, Get-CatalogPlanId, Get-TenantSkuId, Get-UserLicenseView,
    Get-ExpectedTargetPlans, New-StartE4UpgradeScript, Get-RunSummary
