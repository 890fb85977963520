# Teams unbundling end to end, as the E4 path is tested: Microsoft 365 E5 to Microsoft 365 E5 (no Teams) plus Teams
# Enterprise (direct users, a user with Teams off, a group), Microsoft 365 E3 to Microsoft 365 E3 (no Teams) plus Teams
# Enterprise plus Teams Phone, Move-UserLicense with -SourceSku/-TargetSku (and its old names), then
# Stop-E4Subscription -SourceSku SPE_E5 and Get-E4UpgradeReport -TargetSku with both SKUs. Every finding, warning and
# verbose line names the SKU the run moves from (SPE_E5), not E4.
# The no-Teams suites are inline, as in TodaysTargets.Tests.ps1: the catalog suite's plans without TEAMS1, with the
# skuIds the module knows (E4SkuFamily.UpgradeTargets); Microsoft_Teams_Enterprise_New has no id in any Microsoft source,
# so the one here is made up and the module reads it from the tenant; MCOEV is Microsoft's CSV entry.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'data/upgrade/UpgradeTenant.psm1') -Force
    Import-Module (Get-TestModulePath) -Force

    $script:E5Suite = 'Microsoft_365_E5_(no_Teams)'
    $script:E3Suite = 'Microsoft_365_E3_(no_Teams)'
    $script:Teams = 'Microsoft_Teams_Enterprise_New'
    $script:TeamsPlanId = '57ff2da0-773e-42df-b2af-ffb7a2317929'
    # A word "E4" on its own (not inside a finding code such as E4AssignedByGroup).
    $script:E4Word = '(?<![\w-])E4(?![\w])'

    $tenant = New-UpgradeTenant
    Add-TenantSku $tenant -PartNumber SPE_E5 -Seats 20
    Add-TenantSku $tenant -PartNumber SPE_E3 -Seats 20
    $e5 = @((Get-CatalogSku SPE_E5).servicePlans | Where-Object servicePlanName -ne 'TEAMS1' | ForEach-Object { @{ Name = $_.servicePlanName; Id = $_.servicePlanId } })
    $e3 = @((Get-CatalogSku SPE_E3).servicePlans | Where-Object servicePlanName -ne 'TEAMS1' | ForEach-Object { @{ Name = $_.servicePlanName; Id = $_.servicePlanId } })
    Add-TenantSku $tenant -PartNumber $script:E5Suite -SkuId '18a4bd3f-0b5b-4887-b04f-61dd0ee15f5e' -Plans $e5 -Seats 20
    Add-TenantSku $tenant -PartNumber $script:E3Suite -SkuId 'dcf0408c-aaec-446c-afd4-43e3683943ea' -Plans $e3 -Seats 20
    Add-TenantSku $tenant -PartNumber $script:Teams -SkuId '9b1d2c3e-4f50-4a61-8b72-c3d4e5f60718' -Plans @(@{ Name = 'TEAMS1'; Id = $script:TeamsPlanId }) -Seats 40
    Add-TenantSku $tenant -PartNumber MCOEV -SkuId 'e43b5b99-8dfb-405f-9987-dc307f34bcbd' -Plans @(@{ Name = 'MCOEV'; Id = '4828c8ec-dc2e-4779-b502-87ac9ce28ab7' }) -Seats 10
    $script:E5Direct = @(Add-TenantUsers $tenant -Count 4 -Prefix 'e5user' -Licenses @('SPE_E5'))
    $script:TeamsOff = Add-TenantUser $tenant -Name 'e5.teamsoff' -Licenses @(@{ Sku = 'SPE_E5'; Disabled = @('TEAMS1') })
    $script:NoLocation = Add-TenantUser $tenant -Name 'e5.nolocation' -Licenses @('SPE_E5') -UsageLocation ''
    $script:Members = @(1..3 | ForEach-Object { Add-TenantUser $tenant -Name "e5member$_" })
    $script:Group = Add-TenantGroup $tenant -Name 'E5 through a group' -License 'SPE_E5' -Members $script:Members
    $script:E3Direct = @(Add-TenantUsers $tenant -Count 3 -Prefix 'e3user' -Licenses @('SPE_E3'))
    $script:ByHand = @(Add-TenantUsers $tenant -Count 2 -Prefix 'e3hand' -Licenses @('SPE_E3'))
    $script:SkuIds = @{}
    foreach ($sku in $tenant.subscribedSkus) { $script:SkuIds[$sku.skuPartNumber] = $sku.skuId }

    $script:Sim = Start-TestSimulator -Tenant $tenant -Arguments @('--group-delay-ms', '100', '--time-scale', '10')
    Connect-E4Upgrade -AccessToken (New-SecureToken $script:Sim.Token) -GraphEndpoint $script:Sim.GraphUrl | Out-Null
    # Journals in their default folder (LocalApplicationData follows XDG_DATA_HOME on Linux), here under the test drive.
    $script:SavedDataHome = $env:XDG_DATA_HOME
    $env:XDG_DATA_HOME = Join-Path $TestDrive 'data'

    function Get-UserSkus($after, $user) {
        $found = $after.users | Where-Object id -eq $user.id
        @($found.assignedLicenses | ForEach-Object { $skuId = $_.skuId; ($script:SkuIds.GetEnumerator() | Where-Object Value -eq $skuId).Key } | Sort-Object)
    }
}

AfterAll {
    $env:XDG_DATA_HOME = $script:SavedDataHome
    Disconnect-E4Upgrade -Confirm:$false -ErrorAction Ignore
    Stop-TestSimulator $script:Sim
}

Describe 'Test-E4UpgradeEligibility -SourceSku SPE_E5: every finding names SPE_E5' {
    BeforeAll {
        $script:Eligibility = Test-E4UpgradeEligibility -SourceSku SPE_E5 -TargetSku $script:E5Suite, $script:Teams
    }

    It 'reports the source as SPE_E5 and counts its holders' {
        $script:Eligibility.SourceSku | Should -Be 'SPE_E5'
        $script:Eligibility.DirectE4Users | Should -Be 6
        $script:Eligibility.GroupE4Users | Should -Be 3
    }

    It 'words the usage-location and group findings after SPE_E5' {
        ($script:Eligibility.Findings | Where-Object Code -eq 'UsageLocationMissing').Message | Should -Match '^1 users with a direct SPE_E5 assignment have no usage location'
        ($script:Eligibility.Findings | Where-Object Code -eq 'E4AssignedByGroup').Message | Should -Match '^1 groups assign SPE_E5 to 3 users: .*adds the target and removes SPE_E5'
    }

    It 'never says E4 in a finding' {
        foreach ($finding in $script:Eligibility.Findings) {
            $finding.Message | Should -Not -Match $script:E4Word -Because "$($finding.Code): $($finding.Message)"
        }
    }
}

Describe 'Start-E4Upgrade SPE_E5 to the no-Teams suite plus Teams Enterprise' {
    BeforeAll {
        $warnings = $null
        $output = Start-E4Upgrade -SourceSku SPE_E5 -TargetSku $script:E5Suite, $script:Teams -UsageLocation US -PollInterval 00:00:00.2 `
            -Confirm:$false -PassThru -Verbose -WarningVariable warnings -WarningAction SilentlyContinue 4>&1
        $script:Verbose = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $script:Warnings = @($warnings | ForEach-Object Message)
        $script:Summary = $output | Where-Object { $_.PSObject.TypeNames[0] -like '*.UpgradeSummary' }
        $script:After = Get-SimulatorTenant $script:Sim
        $script:Stats = Get-SimulatorStats $script:Sim
    }

    It 'moves every direct user and the group member to the suite plus Teams Enterprise, nobody unlicensed' {
        foreach ($user in @($script:E5Direct) + $script:TeamsOff + $script:NoLocation) {
            Get-UserSkus $script:After $user | Should -Be @($script:E5Suite, $script:Teams | Sort-Object) -Because $user.userPrincipalName
        }
        $group = $script:After.groups | Where-Object id -eq $script:Group.id
        @($group.assignedLicenses.skuId | Sort-Object) | Should -Be @($script:SkuIds[$script:E5Suite], $script:SkuIds[$script:Teams] | Sort-Object)
        $script:Stats.usersEverUnlicensed | Should -Be 0
        $script:Summary.Failed | Should -Be 0
    }

    It 'keeps Teams off where it was off' {
        $user = $script:After.users | Where-Object id -eq $script:TeamsOff.id
        $teams = $user.assignedLicenses | Where-Object skuId -eq $script:SkuIds[$script:Teams]
        @($teams.disabledPlans) | Should -Contain $script:TeamsPlanId
        $other = $script:After.users | Where-Object id -eq $script:E5Direct[0].id
        @(($other.assignedLicenses | Where-Object skuId -eq $script:SkuIds[$script:Teams]).disabledPlans) | Should -Not -Contain $script:TeamsPlanId
    }

    It 'names SPE_E5, never E4, in its warnings and verbose lines' {
        $script:Warnings.Count | Should -BeGreaterThan 0
        $script:Verbose.Count | Should -BeGreaterThan 0
        foreach ($line in $script:Warnings + $script:Verbose) {
            $line | Should -Not -Match $script:E4Word
        }
        ($script:Verbose | Where-Object { $_ -match 'group-licensed' }) | Should -Match 'group-licensed SPE_E5 users'
    }

    It 'is read back from its default journal with -TargetSku naming both SKUs, in any order' {
        $report = Get-E4UpgradeReport -TargetSku $script:Teams, $script:E5Suite -Summary
        $report.From | Should -Be 'SPE_E5'
        $report.To | Should -Be "$($script:E5Suite) + $($script:Teams)"
        $report.Moved | Should -Be ($script:Summary.Moved + $script:Summary.GroupMembersMoved)
        $report.GroupsSwapped | Should -Be 1
    }

    It 'leaves SPE_E5 ready to cancel (Stop-E4Subscription -SourceSku SPE_E5), naming no suite as a freed add-on' {
        $state = Stop-E4Subscription -SourceSku SPE_E5 -TargetSku $script:E5Suite, $script:Teams -Confirm:$false
        $state.SkuPartNumber | Should -Be 'SPE_E5'
        $state.ReadyToCancel | Should -BeTrue
        @($state.FreedAddOns) -join ';' | Should -Not -Match 'SPE_E3|no_Teams'
    }
}

Describe 'Microsoft 365 E3 to the no-Teams suite plus Teams Enterprise plus Teams Phone' {
    BeforeAll {
        $script:HandResults = @(
            Move-UserLicense -User $script:ByHand[0].userPrincipalName -SourceSku SPE_E3 -TargetSku $script:E3Suite, $script:Teams, MCOEV -Confirm:$false
            Move-UserLicense -User $script:ByHand[1].userPrincipalName -FromSku SPE_E3 -ToSku $script:E3Suite, $script:Teams, MCOEV -Confirm:$false)
        $script:E3Summary = Start-E4Upgrade -SourceSku SPE_E3 -TargetSku $script:E3Suite, $script:Teams, MCOEV -PollInterval 00:00:00.2 -Confirm:$false -WarningAction SilentlyContinue
        $script:After = Get-SimulatorTenant $script:Sim
    }

    It 'Move-UserLicense takes -SourceSku and -TargetSku, and still -FromSku and -ToSku' {
        @($script:HandResults.Status) | Should -Be @('Moved', 'Moved')
        @($script:HandResults.FromSku) | Should -Be @('SPE_E3', 'SPE_E3')
    }

    It 'moves every E3 user to the three SKUs in one call each' {
        foreach ($user in @($script:E3Direct) + $script:ByHand) {
            Get-UserSkus $script:After $user | Should -Be @($script:E3Suite, $script:Teams, 'MCOEV' | Sort-Object) -Because $user.userPrincipalName
        }
        $script:E3Summary.Moved | Should -Be 3
        (Get-SimulatorStats $script:Sim).usersEverUnlicensed | Should -Be 0
    }
}
