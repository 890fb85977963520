# Test-E4UpgradeEligibility against the Graph simulator: one test per finding code, with severity and who is affected,
# on generated tenants and small tenant files for the cases a generated tenant lacks. It must only read.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'data/upgrade/UpgradeTenant.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:E4Id = '1392051d-0cb9-4b7a-88d5-621fee5e8711'
    $script:Targets = @('ENTERPRISEPACK', 'ENTERPRISEPREMIUM', 'SPE_E3', 'SPE_E5')

    function Connect-To($simulator) {
        Connect-E4Upgrade -AccessToken (New-SecureToken $simulator.Token) -GraphEndpoint $simulator.GraphUrl | Out-Null
    }

    # The one finding with this code; fails the test when there is none or more than one.
    function Get-Finding($report, [string] $code) {
        $found = @($report.Findings | Where-Object Code -eq $code)
        $found.Count | Should -Be 1 -Because "exactly one $code finding was expected; got: $(@($report.Findings.Code) -join ', ')"
        $found[0]
    }

    function Get-ReportCodes($report) { @($report.Findings | ForEach-Object Code) }

    # One simulator for the Describes that bring a tenant file of their own (Set-SimulatorTenant).
    $script:FileSim = Start-TestSimulator -Arguments @()
}

AfterAll { Stop-TestSimulator $script:FileSim }

Describe 'Test-E4UpgradeEligibility on a generated tenant (groups, users without usage location)' {
    BeforeAll {
        $script:Gen = Start-TestSimulator -Arguments @('--users', '60')
        $script:GenTenant = Get-SimulatorTenant $script:Gen
        Connect-To $script:Gen
        $view = @(Get-UserLicenseView $script:GenTenant -SourceSkuId $script:E4Id -TargetSkuId '06ebc4ee-1bb5-47dd-8120-11324bc54e06')
        $script:NoLocation = @($view | Where-Object { $_.DirectSource -and -not $_.UsageLocation } | ForEach-Object UserPrincipalName)
        $script:GroupUsers = @($view | Where-Object GroupSource)
        $script:DirectUsers = @($view | Where-Object DirectSource)
    }

    AfterAll { Stop-TestSimulator $script:Gen }

    It 'returns a typed report with the E4 holders counted' {
        $report = Test-E4UpgradeEligibility -TargetSku SPE_E5 -UsageLocation US
        $report.PSObject.TypeNames[0] | Should -Be 'E4Upgrade.Engine.Upgrade.EligibilityReport'
        $report.SourceSku | Should -Be 'ENTERPRISEWITHSCAL'
        $report.TargetSku | Should -Be 'SPE_E5'
        $report.DirectE4Users | Should -Be $script:DirectUsers.Count
        $report.GroupE4Users | Should -Be $script:GroupUsers.Count
        $report.TotalE4Users | Should -Be 60
        $report.E4Groups | Should -Be 3
        $report.UsersNeedingTargetSeat | Should -Be 60
        $report.TargetFreeSeats | Should -Be 60
    }

    It 'estimates the group processing of the group members' {
        $report = Test-E4UpgradeEligibility -TargetSku SPE_E5 -UsageLocation US
        $report.GroupProcessingEstimate | Should -BeGreaterThan ([TimeSpan]::Zero)
        $report.DurationEstimate | Should -Match "estimate up to .* for $($script:GroupUsers.Count) members"
    }

    It 'UsageLocationMissing is a Blocker naming the direct users without usage location' {
        $script:NoLocation | Should -Be @('user00007@contoso.onmicrosoft.com')
        $report = Test-E4UpgradeEligibility -TargetSku SPE_E5
        $report.IsEligible | Should -BeFalse
        $finding = Get-Finding $report 'UsageLocationMissing'
        "$($finding.Severity)" | Should -Be 'Blocker'
        @($finding.AffectedUsers) | Should -Be $script:NoLocation
        $finding.AffectedCount | Should -Be 1
        $finding.Message | Should -Match 'user00007@contoso.onmicrosoft.com'
    }

    It 'UsageLocationMissing is only a Warning with -UsageLocation, and the tenant is then eligible' {
        $report = Test-E4UpgradeEligibility -TargetSku SPE_E5 -UsageLocation us
        $finding = Get-Finding $report 'UsageLocationMissing'
        "$($finding.Severity)" | Should -Be 'Warning'
        @($finding.AffectedUsers) | Should -Be $script:NoLocation
        $finding.Message | Should -Match "'US'"
        $report.IsEligible | Should -BeTrue
        $report.BlockerCount | Should -Be 0
    }

    It 'E4AssignedByGroup is a Warning naming the groups and counting their users' {
        $report = Test-E4UpgradeEligibility -TargetSku SPE_E5 -UsageLocation US
        $finding = Get-Finding $report 'E4AssignedByGroup'
        "$($finding.Severity)" | Should -Be 'Warning'
        $expected = @($script:GenTenant.groups | Where-Object { $_.assignedLicenses.skuId -contains $script:E4Id } |
                ForEach-Object { "$($_.displayName) ($($_.id))" } | Sort-Object)
        $expected.Count | Should -Be 3
        @($finding.AffectedGroups | Sort-Object) | Should -Be $expected
        $finding.AffectedCount | Should -Be $script:GroupUsers.Count
        @($finding.AffectedUsers).Count | Should -Be 0
    }

    It 'reads only: no write reached the simulator' {
        (Get-SimulatorStats $script:Gen).writes | Should -Be 0
    }
}

Describe 'Test-E4UpgradeEligibility on a clean tenant' {
    BeforeAll {
        $tenant = New-UpgradeTenant
        Add-TenantSku $tenant -PartNumber ENTERPRISEWITHSCAL -Seats 10
        foreach ($target in $script:Targets) { Add-TenantSku $tenant -PartNumber $target -Seats 10 }
        Add-TenantUsers $tenant -Count 10 | Out-Null
        $script:Clean = $script:FileSim
        Set-SimulatorTenant $script:FileSim $tenant
        Connect-To $script:Clean
    }

    It 'is eligible for SPE_E5 with no finding at all' {
        $report = Test-E4UpgradeEligibility -TargetSku SPE_E5
        $report.IsEligible | Should -BeTrue
        $report.BlockerCount | Should -Be 0
        $report.TargetAvailable | Should -BeTrue
        $report.DirectE4Users | Should -Be 10
        Get-ReportCodes $report | Should -BeNullOrEmpty
    }

    It 'MultipleE4Subscriptions is absent when E4 has one subscription' {
        $report = Test-E4UpgradeEligibility -TargetSku SPE_E5
        $multiple = @($report.Findings | Where-Object Code -eq 'MultipleE4Subscriptions')
        $multiple.Message | Should -BeNullOrEmpty
    }

    It 'FeatureLoss is a Warning on the E3 target <_> (E4 voice conferencing has no counterpart)' -ForEach @('ENTERPRISEPACK', 'SPE_E3') {
        $report = Test-E4UpgradeEligibility -TargetSku $_
        $finding = Get-Finding $report 'FeatureLoss'
        "$($finding.Severity)" | Should -Be 'Warning'
        @($finding.Plans) | Should -Be @('MCOVOICECONF')
        $finding.Message | Should -Match 'the tenant holds no SKU that supplies it'
        $report.IsEligible | Should -BeTrue
    }

    It 'FeatureLoss is absent on the E5 target <_>' -ForEach @('ENTERPRISEPREMIUM', 'SPE_E5') {
        $report = Test-E4UpgradeEligibility -TargetSku $_
        Get-ReportCodes $report | Should -Not -Contain 'FeatureLoss'
    }

    It 'ServiceLoss is absent for every catalog target (<_>): each keeps Exchange, SharePoint, Teams and the Office apps' -ForEach @('ENTERPRISEPACK', 'ENTERPRISEPREMIUM', 'SPE_E3', 'SPE_E5') {
        $report = Test-E4UpgradeEligibility -TargetSku $_
        Get-ReportCodes $report | Should -Not -Contain 'ServiceLoss'
    }

    It 'gives the expected duration of the direct moves and the group estimate' {
        $report = Test-E4UpgradeEligibility -TargetSku SPE_E5
        $report.ExpectedDuration | Should -BeGreaterThan ([TimeSpan]::Zero)
        $report.DurationEstimate | Should -Match "$($report.DirectE4Users) writes at Graph's write quota"
        $report.DurationEstimate | Should -Not -Match 'group processing' -Because 'this tenant has no group'
    }

    It 'TargetNotFound is a Blocker for a target the tenant does not have' {
        $report = Test-E4UpgradeEligibility -TargetSku ENTERPRISEPREMIUM_NOPSTNCONF
        $finding = Get-Finding $report 'TargetNotFound'
        "$($finding.Severity)" | Should -Be 'Blocker'
        $finding.Message | Should -Match 'ENTERPRISEPREMIUM_NOPSTNCONF'
        $report.IsEligible | Should -BeFalse
        $report.TargetAvailable | Should -BeFalse
        $report.TargetSkuId | Should -BeNullOrEmpty
    }

    It 'TargetSameAsSource is a Blocker when the target is E4 itself' {
        $report = Test-E4UpgradeEligibility -TargetSku ENTERPRISEWITHSCAL
        $finding = Get-Finding $report 'TargetSameAsSource'
        "$($finding.Severity)" | Should -Be 'Blocker'
        $report.IsEligible | Should -BeFalse
    }

    It 'reads only: no write reached the simulator' {
        (Get-SimulatorStats $script:Clean).writes | Should -Be 0
    }
}

Describe 'Test-E4UpgradeEligibility with awkward targets and disabled plans' {
    BeforeAll {
        $tenant = New-UpgradeTenant
        Add-TenantSku $tenant -PartNumber ENTERPRISEWITHSCAL -Seats 20
        Add-TenantSku $tenant -PartNumber ENTERPRISEPACK -Seats 20 -Status Suspended
        Add-TenantSku $tenant -PartNumber ENTERPRISEPREMIUM -Seats 20 -Trial
        Add-TenantSku $tenant -PartNumber SPE_E3 -Seats 0
        Add-TenantSku $tenant -PartNumber SPE_E5 -Seats 20 -PendingPlans EXCHANGE_S_ENTERPRISE
        Add-TenantUsers $tenant -Count 10 | Out-Null
        $script:Voice = Add-TenantUser $tenant -Name 'voice.user' -Licenses @(@{ Sku = 'ENTERPRISEWITHSCAL'; Disabled = @('MCOVOICECONF', 'EXCHANGE_S_ENTERPRISE') })
        $members = @(1..2 | ForEach-Object { Add-TenantUser $tenant -Name "voice.member$_" })
        $script:VoiceGroup = Add-TenantGroup $tenant -Name 'Voice group' -License @{ Sku = 'ENTERPRISEWITHSCAL'; Disabled = @('MCOVOICECONF') } -Members $members
        $script:AwkwardTenant = $tenant
        $script:Awkward = $script:FileSim
        Set-SimulatorTenant $script:FileSim $tenant
        Connect-To $script:Awkward
    }

    It 'TargetNotActive is a Blocker for a Suspended target' {
        $report = Test-E4UpgradeEligibility -TargetSku ENTERPRISEPACK
        $finding = Get-Finding $report 'TargetNotActive'
        "$($finding.Severity)" | Should -Be 'Blocker'
        $finding.Message | Should -Match 'Suspended'
        $report.IsEligible | Should -BeFalse
        $report.TargetAvailable | Should -BeFalse
    }

    It 'TargetNotActive is a Blocker for a target with a plan PendingProvisioning' {
        $report = Test-E4UpgradeEligibility -TargetSku SPE_E5
        $finding = Get-Finding $report 'TargetNotActive'
        "$($finding.Severity)" | Should -Be 'Blocker'
        $finding.Message | Should -Match 'EXCHANGE_S_ENTERPRISE PendingProvisioning'
        $report.TargetAvailable | Should -BeFalse
    }

    It 'TargetIsTrial is a Warning naming the trial subscription, and does not block' {
        $report = Test-E4UpgradeEligibility -TargetSku ENTERPRISEPREMIUM
        $finding = Get-Finding $report 'TargetIsTrial'
        "$($finding.Severity)" | Should -Be 'Warning'
        $trial = $script:AwkwardTenant.subscriptions | Where-Object skuPartNumber -eq 'ENTERPRISEPREMIUM'
        $finding.Message | Should -Match $trial.id
        $report.IsEligible | Should -BeTrue
        Get-ReportCodes $report | Should -Not -Contain 'TargetNotActive'
    }

    It 'InsufficientTargetSeats is a Blocker counting direct and group holders against zero free seats' {
        $report = Test-E4UpgradeEligibility -TargetSku SPE_E3
        $finding = Get-Finding $report 'InsufficientTargetSeats'
        "$($finding.Severity)" | Should -Be 'Blocker'
        $finding.AffectedCount | Should -Be 13
        $report.UsersNeedingTargetSeat | Should -Be 13
        $report.TargetFreeSeats | Should -Be 0
        $finding.Message | Should -Match '13 users'
        $finding.Message | Should -Match 'add at least 13 SPE_E3 seats'
        @($finding.Skus) | Should -Be @('SPE_E3')
    }

    It 'InsufficientTargetSeats is absent when the target has enough seats' {
        Get-ReportCodes (Test-E4UpgradeEligibility -TargetSku ENTERPRISEPREMIUM) | Should -Not -Contain 'InsufficientTargetSeats'
    }

    It 'DisabledPlansWithoutCounterpart is a Warning naming the user and the group whose disabled plan is dropped' {
        $report = Test-E4UpgradeEligibility -TargetSku SPE_E3
        $finding = Get-Finding $report 'DisabledPlansWithoutCounterpart'
        "$($finding.Severity)" | Should -Be 'Warning'
        @($finding.AffectedUsers) | Should -Be @($script:Voice.userPrincipalName)
        @($finding.AffectedGroups) | Should -Be @("Voice group ($($script:VoiceGroup.id))")
        $finding.AffectedCount | Should -Be 1
        $finding.Message | Should -Match 'MCOVOICECONF'
        # Exchange Online (Plan 2) is in the target under the same id: carried over, not dropped.
        $finding.Message | Should -Not -Match 'EXCHANGE_S_ENTERPRISE'
    }

    It 'FeatureLoss is a Warning on the E3 target here too' {
        "$((Get-Finding (Test-E4UpgradeEligibility -TargetSku SPE_E3) 'FeatureLoss').Severity)" | Should -Be 'Warning'
    }

    It 'E4AssignedByGroup names the tenant-file group' {
        $finding = Get-Finding (Test-E4UpgradeEligibility -TargetSku ENTERPRISEPREMIUM) 'E4AssignedByGroup'
        @($finding.AffectedGroups) | Should -Be @("Voice group ($($script:VoiceGroup.id))")
        $finding.AffectedCount | Should -Be 2
    }

    It 'reads only: no write reached the simulator' {
        (Get-SimulatorStats $script:Awkward).writes | Should -Be 0
    }
}

Describe 'E4NotActive when E4 is <Status>' -ForEach @(
    @{ Status = 'Warning'; Severity = 'Warning' }
    @{ Status = 'Suspended'; Severity = 'Blocker' }
    @{ Status = 'LockedOut'; Severity = 'Blocker' }
    @{ Status = 'Deleted'; Severity = 'Blocker' }
) {
    BeforeAll {
        $tenant = New-UpgradeTenant
        Add-TenantSku $tenant -PartNumber ENTERPRISEWITHSCAL -Seats 5 -Status $Status
        Add-TenantSku $tenant -PartNumber SPE_E5 -Seats 5
        Add-TenantUsers $tenant -Count 3 | Out-Null
        $script:StatusSim = $script:FileSim
        Set-SimulatorTenant $script:FileSim $tenant
        Connect-To $script:StatusSim
    }

    It 'is a <Severity> naming the status' {
        $report = Test-E4UpgradeEligibility -TargetSku SPE_E5
        $finding = Get-Finding $report 'E4NotActive'
        "$($finding.Severity)" | Should -Be $Severity
        $finding.Message | Should -Match $Status
        $report.IsEligible | Should -Be ($Severity -eq 'Warning')
        (Get-SimulatorStats $script:StatusSim).writes | Should -Be 0
    }
}

Describe 'Test-E4UpgradeEligibility on a tenant without E4' {
    BeforeAll {
        $tenant = New-UpgradeTenant
        Add-TenantSku $tenant -PartNumber SPE_E5 -Seats 5
        Add-TenantUsers $tenant -Count 3 -Licenses @('SPE_E5') | Out-Null
        $script:NoE4 = $script:FileSim
        Set-SimulatorTenant $script:FileSim $tenant
        Connect-To $script:NoE4
    }

    It 'NoE4Subscription is a Blocker' {
        $report = Test-E4UpgradeEligibility -TargetSku SPE_E5
        $finding = Get-Finding $report 'NoE4Subscription'
        "$($finding.Severity)" | Should -Be 'Blocker'
        $report.IsEligible | Should -BeFalse
        $report.SourceSkuId | Should -BeNullOrEmpty
        $report.TotalE4Users | Should -Be 0
    }
}

Describe 'Test-E4UpgradeEligibility with several E4 subscriptions and a target with fewer services' {
    BeforeAll {
        $tenant = New-UpgradeTenant
        Add-TenantSku $tenant -PartNumber ENTERPRISEWITHSCAL -Seats 10 -Subscriptions 2
        Add-TenantSku $tenant -PartNumber ENTERPRISEWITHSCAL_FACULTY -PlansFrom ENTERPRISEWITHSCAL -Seats 5
        # Not a catalog SKU: E3 without Viva Engage and Stream, to see the data-services check fire.
        Add-TenantSku $tenant -PartNumber ENTERPRISEPACK -Seats 20 -WithoutPlans YAMMER_ENTERPRISE, STREAM_O365_E3
        Add-TenantUsers $tenant -Count 4 | Out-Null
        Add-TenantUsers $tenant -Count 2 -Prefix 'faculty' -Licenses @('ENTERPRISEWITHSCAL_FACULTY') | Out-Null
        $script:MultiTenant = $tenant
        $script:Multi = $script:FileSim
        Set-SimulatorTenant $script:FileSim $tenant
        Connect-To $script:Multi
    }

    It 'MultipleE4Subscriptions is a Warning naming both E4 subscriptions and the other E4 variant in use' {
        $report = Test-E4UpgradeEligibility -TargetSku ENTERPRISEPACK
        $report.SourceSku | Should -Be 'ENTERPRISEWITHSCAL'
        $finding = Get-Finding $report 'MultipleE4Subscriptions'
        "$($finding.Severity)" | Should -Be 'Warning'
        foreach ($subscription in ($script:MultiTenant.subscriptions | Where-Object skuPartNumber -eq 'ENTERPRISEWITHSCAL')) {
            $finding.Message | Should -Match $subscription.id
        }
        $finding.Message | Should -Match 'ENTERPRISEWITHSCAL_FACULTY \(2 seats used\)'
        $finding.Message | Should -Match '-SourceSku'
        $finding.Message | Should -Match '^3 subscriptions are linked' -Because 'E4 has two subscriptions and the FACULTY variant one, each counted once'
    }

    It 'FeatureLoss is a Warning naming the plans other than core services that the target lacks, with the users losing them' {
        $report = Test-E4UpgradeEligibility -TargetSku ENTERPRISEPACK
        $finding = Get-Finding $report 'FeatureLoss'
        "$($finding.Severity)" | Should -Be 'Warning'
        @($finding.Plans | Sort-Object) | Should -Be @('MCOVOICECONF', 'STREAM_O365_E3', 'YAMMER_ENTERPRISE')
        $finding.AffectedCount | Should -Be 4
        $finding.Message | Should -Match 'YAMMER_ENTERPRISE \(Yammer Enterprise\) for 4 users'
        Get-ReportCodes $report | Should -Not -Contain 'ServiceLoss'
    }

    It 'TargetSameAsSource is a Blocker when the target is another E4 variant' {
        $report = Test-E4UpgradeEligibility -TargetSku ENTERPRISEWITHSCAL_FACULTY
        $finding = Get-Finding $report 'TargetSameAsSource'
        "$($finding.Severity)" | Should -Be 'Blocker'
        $finding.Message | Should -Match 'E4 variant'
    }

    It '-SourceSku picks the E4 variant to check' {
        $report = Test-E4UpgradeEligibility -TargetSku ENTERPRISEPACK -SourceSku ENTERPRISEWITHSCAL_FACULTY
        $report.SourceSku | Should -Be 'ENTERPRISEWITHSCAL_FACULTY'
        $report.DirectE4Users | Should -Be 2
    }

    It 'reads only: no write reached the simulator' {
        (Get-SimulatorStats $script:Multi).writes | Should -Be 0
    }
}
