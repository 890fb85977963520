# Today's targets against the Graph simulator: a suite without Teams plus Teams Enterprise, redundant add-ons, real part
# numbers with parentheses, target plans that wait for an admin (INTUNE_O365 PendingActivation, as in most real tenants).
# Until the simulator carries these SKUs by name, the tenant files hold them inline: Microsoft_365_E5_(no_Teams) is
# Microsoft 365 E5's plans without TEAMS1 (id from public tenant dumps, graph-licensing.md section 10);
# Microsoft_Teams_Enterprise_New has no id in any Microsoft source, so the one here is made up and the module must read it
# from the tenant; MCOMEETADV and MCOEV are Microsoft's CSV entries.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'data/upgrade/UpgradeTenant.psm1') -Force
    Import-Module (Get-TestModulePath) -Force

    $script:Suite = 'Microsoft_365_E5_(no_Teams)'
    $script:Teams = 'Microsoft_Teams_Enterprise_New'
    $script:TeamsPlanId = '57ff2da0-773e-42df-b2af-ffb7a2317929'

    function Connect-To($simulator) {
        Connect-E4Upgrade -AccessToken (New-SecureToken $simulator.Token) -GraphEndpoint $simulator.GraphUrl | Out-Null
    }

    function Get-Finding($report, [string] $code) {
        $found = @($report.Findings | Where-Object Code -eq $code)
        $found.Count | Should -Be 1 -Because "exactly one $code finding was expected; got: $(@($report.Findings.Code) -join ', ')"
        $found[0]
    }

    function New-TodaysTenant([int] $Users = 6, [int] $TeamsSeats = 20) {
        $tenant = New-UpgradeTenant
        Add-TenantSku $tenant -PartNumber ENTERPRISEWITHSCAL -Seats 20
        $e5 = @((Get-CatalogSku SPE_E5).servicePlans | Where-Object servicePlanName -ne 'TEAMS1' | ForEach-Object { @{ Name = $_.servicePlanName; Id = $_.servicePlanId } })
        Add-TenantSku $tenant -PartNumber $script:Suite -SkuId '18a4bd3f-0b5b-4887-b04f-61dd0ee15f5e' -Plans $e5 -Seats 20 -ActivationPlans INTUNE_O365
        Add-TenantSku $tenant -PartNumber $script:Teams -SkuId '9b1d2c3e-4f50-4a61-8b72-c3d4e5f60718' -Plans @(@{ Name = 'TEAMS1'; Id = $script:TeamsPlanId }) -Seats $TeamsSeats
        Add-TenantSku $tenant -PartNumber MCOMEETADV -SkuId '0c266dff-15dd-4b49-8397-2bb16070ed52' -Plans @(@{ Name = 'MCOMEETADV'; Id = '3e26ee1f-8a5f-4d52-aee2-b81ce45c8f40' }) -Seats 10
        Add-TenantSku $tenant -PartNumber MCOEV -SkuId 'e43b5b99-8dfb-405f-9987-dc307f34bcbd' -Plans @(@{ Name = 'MCOEV'; Id = '4828c8ec-dc2e-4779-b502-87ac9ce28ab7' }) -Seats 10
        Add-TenantSku $tenant -PartNumber SPE_E3 -Seats 20 -ActivationPlans INTUNE_O365
        Add-TenantUsers $tenant -Count $Users | Out-Null
        $tenant
    }

    # One simulator with the licensing rules on, for the Describes that bring their own tenant (Set-SimulatorTenant).
    $script:RulesSim = Start-TestSimulator -Arguments @('--licensing-rules', 'on')
}

AfterAll { Stop-TestSimulator $script:RulesSim }

Describe 'Eligibility for a suite without Teams, alone and with Teams Enterprise' {
    BeforeAll {
        $tenant = New-TodaysTenant -Users 6
        $script:Conf = Add-TenantUser $tenant -Name 'conf.user' -Licenses @('ENTERPRISEWITHSCAL', 'MCOMEETADV')
        $script:NoTeams = Add-TenantUser $tenant -Name 'noteams.user' -Licenses @(@{ Sku = 'ENTERPRISEWITHSCAL'; Disabled = @('TEAMS1', 'MCOSTANDARD') }, 'MCOMEETADV')
        $script:Sim = Start-TestSimulator -Tenant $tenant -Arguments @()
        Connect-To $script:Sim
    }

    AfterAll { Stop-TestSimulator $script:Sim }

    It 'resolves the real part number with parentheses (it answered TargetNotFound before)' {
        $report = Test-E4UpgradeEligibility -TargetSku $script:Suite
        $report.TargetSku | Should -Be $script:Suite
        @($report.Findings.Code) | Should -Not -Contain 'TargetNotFound'
    }

    It 'the suite alone is a ServiceLoss blocker naming TEAMS1 and the SKU that supplies it' {
        $report = Test-E4UpgradeEligibility -TargetSku $script:Suite
        $finding = Get-Finding $report 'ServiceLoss'
        "$($finding.Severity)" | Should -Be 'Blocker'
        @($finding.Plans) | Should -Be @('TEAMS1')
        @($finding.Skus) | Should -Be @($script:Teams)
        $finding.AffectedCount | Should -Be 7 -Because 'the user with Teams disabled on E4 loses nothing'
        $finding.Message | Should -Match "add $script:Teams"
        $report.IsEligible | Should -BeFalse
    }

    It 'INTUNE_O365 PendingActivation is a PlansNeedActivation warning, never TargetNotActive' {
        $report = Test-E4UpgradeEligibility -TargetSku SPE_E3
        $finding = Get-Finding $report 'PlansNeedActivation'
        "$($finding.Severity)" | Should -Be 'Warning'
        @($finding.Plans) | Should -Be @('INTUNE_O365')
        @($report.Findings.Code) | Should -Not -Contain 'TargetNotActive'
        $report.TargetAvailable | Should -BeTrue
    }

    It 'suite and Teams Enterprise together keep every service and count seats per SKU' {
        $report = Test-E4UpgradeEligibility -TargetSku $script:Suite, $script:Teams
        @($report.Findings | Where-Object Severity -eq 'Blocker').Code | Should -BeNullOrEmpty
        $report.IsEligible | Should -BeTrue
        $report.TargetSku | Should -Be "$script:Suite + $script:Teams"
        @($report.TargetSeats | ForEach-Object { "$($_.Sku)=$($_.Needed)/$($_.Free)" }) | Should -Be @("$script:Suite=8/20", "$script:Teams=8/20")
    }

    It 'the SKUs can be named by id as well' {
        $report = Test-E4UpgradeEligibility -TargetSku '18a4bd3f-0b5b-4887-b04f-61dd0ee15f5e', $script:Teams
        $report.TargetSkus | Should -Be @($script:Suite, $script:Teams)
    }

    It 'RedundantAddOns reports MCOMEETADV with its user and seats freed, not for the user whose Teams and Skype stay off' {
        $report = Test-E4UpgradeEligibility -TargetSku $script:Suite, $script:Teams
        $finding = Get-Finding $report 'RedundantAddOns'
        "$($finding.Severity)" | Should -Be 'Warning'
        @($finding.Skus) | Should -Be @('MCOMEETADV')
        @($finding.AffectedUsers) | Should -Be @($script:Conf.userPrincipalName)
        $finding.Message | Should -Match '1 users, 1 seats freed; 1 more keep it'
    }

    It 'PlanDependencyAdjusted names the user whose disabled Teams and Skype take MCOEV and MCOMEETADV with them' {
        $report = Test-E4UpgradeEligibility -TargetSku $script:Suite, $script:Teams
        $finding = Get-Finding $report 'PlanDependencyAdjusted'
        @($finding.AffectedUsers) | Should -Be @($script:NoTeams.userPrincipalName)
        @($finding.Plans) | Should -Be @('MCOEV', 'MCOMEETADV')
    }

    It 'Get-E4Subscription reports every SKU of a compound target as Target' {
        $rows = @(Get-E4Subscription -TargetSku $script:Suite, $script:Teams | Where-Object Role -eq 'Target')
        @($rows.SkuPartNumber) | Should -Be @($script:Suite, $script:Teams)
    }

    It 'Start-E4Upgrade -WhatIf gives the expected duration' {
        $summary = Start-E4Upgrade -TargetSku SPE_E3 -AcceptFinding ServiceLoss -WhatIf -WarningAction SilentlyContinue |
            Where-Object { $_.PSObject.TypeNames[0] -like '*.UpgradeSummary' }
        $summary.ExpectedDuration | Should -BeGreaterThan ([TimeSpan]::Zero)
        $summary.DurationEstimate | Should -Match '8 writes'
    }

    It 'tab-completes the connected tenant''s SKUs, quoting names with parentheses' {
        $line = 'Test-E4UpgradeEligibility -TargetSku Microsoft_365'
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        @($completions.CompletionText) | Should -Be @("'$script:Suite'")
        $line = 'Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku Microsoft_Teams'
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be @($script:Teams)
    }

    It 'reads only: no write reached the simulator' {
        (Get-SimulatorStats $script:Sim).writes | Should -Be 0
    }
}

Describe 'SKU completion without a connection' {
    It 'offers the module''s catalog, including the no-Teams suites and Teams Enterprise' {
        $result = Invoke-FreshPwsh -Script @"
Import-Module '$(Get-TestModulePath)'
`$line = 'Start-E4Upgrade -TargetSku Microsoft_'
(TabExpansion2 -inputScript `$line -cursorColumn `$line.Length).CompletionMatches.CompletionText
`$line = 'Stop-E4Subscription -SourceSku ENTERPRISEWITHSCAL_F'
(TabExpansion2 -inputScript `$line -cursorColumn `$line.Length).CompletionMatches.CompletionText
"@
        $result.ExitCode | Should -Be 0
        $result.Output | Should -Contain "'Microsoft_365_E5_(no_Teams)'"
        $result.Output | Should -Contain 'Microsoft_Teams_Enterprise_New'
        $result.Output | Should -Contain 'ENTERPRISEWITHSCAL_FACULTY'
    }
}

Describe 'Start-E4Upgrade to the suite without Teams plus Teams Enterprise (users and a group)' {
    BeforeAll {
        $tenant = New-TodaysTenant -Users 6
        $script:ConfUser = Add-TenantUser $tenant -Name 'conf.user' -Licenses @('ENTERPRISEWITHSCAL', 'MCOMEETADV')
        $members = @(1..3 | ForEach-Object { Add-TenantUser $tenant -Name "member$_" })
        $script:Group = Add-TenantGroup $tenant -Name 'E4 staff' -License 'ENTERPRISEWITHSCAL' -Members $members
        $script:MoveTenant = $tenant
        $script:Run = $script:RulesSim
        Set-SimulatorTenant $script:RulesSim $tenant
        Connect-To $script:Run
        $script:Out = @(Start-E4Upgrade -TargetSku $script:Suite, $script:Teams -JournalPath (Join-Path $TestDrive 'run.jsonl') -PollInterval '00:00:00.2' -Confirm:$false -PassThru -WarningAction SilentlyContinue)
        $script:After = Get-SimulatorTenant $script:Run
        $script:SkuIds = @{}
        foreach ($sku in $script:After.subscribedSkus) { $script:SkuIds[$sku.skuPartNumber] = $sku.skuId }
    }

    It 'succeeds with every direct user and group member moved' {
        $summary = $script:Out | Where-Object { $_.PSObject.TypeNames[0] -like '*.UpgradeSummary' }
        $summary.Succeeded | Should -BeTrue
        $summary.TargetSku | Should -Be "$script:Suite + $script:Teams"
        $summary.Moved | Should -Be 7
        $summary.GroupMembersMoved | Should -Be 3
    }

    It 'every user holds both SKUs with Teams on, and no user holds E4' {
        foreach ($user in $script:After.users) {
            $active = @($user.licenseAssignmentStates | Where-Object { $_.state -eq 'Active' })
            @($active.skuId) | Should -Contain $script:SkuIds[$script:Suite] -Because $user.userPrincipalName
            @($active.skuId) | Should -Contain $script:SkuIds[$script:Teams] -Because $user.userPrincipalName
            @($user.licenseAssignmentStates.skuId) | Should -Not -Contain $script:SkuIds['ENTERPRISEWITHSCAL'] -Because $user.userPrincipalName
            $teams = @($user.licenseAssignmentStates | Where-Object skuId -eq $script:SkuIds[$script:Teams])
            @($teams.disabledPlans) | Should -Not -Contain $script:TeamsPlanId
        }
    }

    It 'the group assigns both SKUs, from one call' {
        $group = $script:After.groups | Where-Object id -eq $script:Group.id
        @($group.assignedLicenses.skuId | Sort-Object) | Should -Be @(@($script:SkuIds[$script:Suite], $script:SkuIds[$script:Teams]) | Sort-Object)
    }

    It 'nobody was ever unlicensed and each direct user was written once' {
        $stats = Get-SimulatorStats $script:Run
        $stats.usersEverUnlicensed | Should -Be 0
        $stats.usersWithMultipleLicenseWrites | Should -Be 0
    }

    It 'without -RemoveRedundantAddOns the Audio Conferencing add-on stays' {
        $user = $script:After.users | Where-Object id -eq $script:ConfUser.id
        @($user.assignedLicenses.skuId) | Should -Contain $script:SkuIds['MCOMEETADV']
    }

    It 'a second run with other add-ons is refused with CompoundTargetChanged' {
        $err = Get-CaughtError { Start-E4Upgrade -TargetSku $script:Suite, MCOEV -JournalPath (Join-Path $TestDrive 'run.jsonl') -Confirm:$false -ErrorAction Stop -WarningAction SilentlyContinue }
        $err.FullyQualifiedErrorId | Should -BeLike 'CompoundTargetChanged*'
    }
}

Describe 'Start-E4Upgrade -RemoveRedundantAddOns' {
    BeforeAll {
        $tenant = New-TodaysTenant -Users 2
        $script:Conf2 = Add-TenantUser $tenant -Name 'conf.user' -Licenses @('ENTERPRISEWITHSCAL', 'MCOMEETADV')
        $script:NoTeams2 = Add-TenantUser $tenant -Name 'noteams.user' -Licenses @(@{ Sku = 'ENTERPRISEWITHSCAL'; Disabled = @('TEAMS1', 'MCOSTANDARD') }, 'MCOMEETADV')
        $script:Rm = $script:RulesSim
        Set-SimulatorTenant $script:RulesSim $tenant
        Connect-To $script:Rm
        $script:RmOut = @(Start-E4Upgrade -TargetSku $script:Suite, $script:Teams -RemoveRedundantAddOns -JournalPath (Join-Path $TestDrive 'rm.jsonl') -Confirm:$false -PassThru -WarningAction SilentlyContinue)
        $script:RmAfter = Get-SimulatorTenant $script:Rm
        $script:AddOnId = '0c266dff-15dd-4b49-8397-2bb16070ed52'
    }

    It 'removes the redundant MCOMEETADV in the same call that moves the user' {
        $user = $script:RmAfter.users | Where-Object id -eq $script:Conf2.id
        @($user.assignedLicenses.skuId) | Should -Not -Contain $script:AddOnId
        (Get-SimulatorLicenseWrites $script:Rm $script:Conf2.id) | Should -Be 1
        ($script:RmOut | Where-Object { $_.UserId -eq $script:Conf2.id }).RemovedAddOns | Should -Be 'MCOMEETADV'
        (Get-SimulatorStats $script:Rm).usersEverUnlicensed | Should -Be 0
    }

    It 'keeps it for the user whose Teams and Skype stay off (MCOMEETADV is disabled in the target for that user)' {
        $user = $script:RmAfter.users | Where-Object id -eq $script:NoTeams2.id
        @($user.assignedLicenses.skuId) | Should -Contain $script:AddOnId
        $result = $script:RmOut | Where-Object { $_.UserId -eq $script:NoTeams2.id }
        "$($result.Status)" | Should -Be 'Moved'
        $result.AdjustedPlans | Should -Match 'MCOMEETADV \(Microsoft_365_E5_\(no_Teams\)\): needs TEAMS1 or MCOSTANDARD'
    }

    It 'Stop-E4Subscription lists the add-on subscription whose seats became free' {
        $state = Stop-E4Subscription -TargetSku $script:Suite, $script:Teams -JournalPath (Join-Path $TestDrive 'rm.jsonl')
        $state.ReadyToCancel | Should -BeTrue
        # Teams Phone (MCOEV) is included in E5 too and has 10 unused seats, but the run removed none: only what it freed is listed.
        @($state.FreedAddOns) | Should -Be @('MCOMEETADV: 9 of 10 seats free')
        $state.NextSteps | Should -Match 'Add-on subscriptions that the target includes now have free seats: MCOMEETADV'
    }
}

Describe 'Move-UserLicense: E3 plus Teams Phone for the voice users' {
    BeforeAll {
        $tenant = New-TodaysTenant -Users 4
        $script:Voice = $script:RulesSim
        Set-SimulatorTenant $script:RulesSim $tenant
        Connect-To $script:Voice
        $script:VoiceUsers = @($tenant.users | Select-Object -First 3)
        $script:VoiceOut = @($script:VoiceUsers | ForEach-Object userPrincipalName | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E3, MCOEV -Confirm:$false)
        $script:VoiceAfter = Get-SimulatorTenant $script:Voice
    }

    It 'moves each piped user to both SKUs in one write' {
        @($script:VoiceOut | Where-Object Status -eq 'Moved').Count | Should -Be 3
        $e3 = ($script:VoiceAfter.subscribedSkus | Where-Object skuPartNumber -eq 'SPE_E3').skuId
        foreach ($input in $script:VoiceUsers) {
            $user = $script:VoiceAfter.users | Where-Object id -eq $input.id
            @($user.assignedLicenses.skuId | Sort-Object) | Should -Be @(@($e3, 'e43b5b99-8dfb-405f-9987-dc307f34bcbd') | Sort-Object)
            (Get-SimulatorLicenseWrites $script:Voice $input.id) | Should -Be 1
        }
        $script:VoiceOut[0].ToSku | Should -Be 'SPE_E3 + MCOEV'
        (Get-SimulatorStats $script:Voice).usersEverUnlicensed | Should -Be 0
    }

    It 'leaves the other users alone' {
        $other = $script:VoiceAfter.users | Where-Object { $_.id -notin $script:VoiceUsers.id }
        foreach ($user in $other) { @($user.assignedLicenses.skuId) | Should -Be @('1392051d-0cb9-4b7a-88d5-621fee5e8711') }
    }
}

Describe 'Plan dependencies: sourced rules known in advance, others read from the 400 and the user retried once' {
    BeforeAll {
        # The simulator enforces its own sourced rules (Defender for Office 365 needs a mailbox plan, ...) and, from this
        # file, two rules no source names, which the engine cannot know before Graph states them.
        $rules = Join-Path $TestDrive 'unknown-rules.json'
        @{ dependencies = @(
            @{ plan = 'WHITEBOARD_PLAN3'; requiresAnyOf = @('SWAY'); source = 'None: made up for this test.' },
            @{ plan = 'MICROSOFT_LOOP'; requiresAnyOf = @('PROJECTWORKMANAGEMENT'); source = 'None: made up for this test.' }) } |
            ConvertTo-Json -Depth 5 | Set-Content -Path $rules -Encoding utf8
        $tenant = New-TodaysTenant -Users 0
        Add-TenantSku $tenant -PartNumber SPE_E5 -Seats 10
        $script:NoMail = Add-TenantUser $tenant -Name 'nomail.user' -Licenses @(@{ Sku = 'ENTERPRISEWITHSCAL'; Disabled = @('EXCHANGE_S_ENTERPRISE') })
        $script:NoSway = Add-TenantUser $tenant -Name 'nosway.user' -Licenses @(@{ Sku = 'ENTERPRISEWITHSCAL'; Disabled = @('SWAY') })
        $script:TwoUnknown = Add-TenantUser $tenant -Name 'twounknown.user' -Licenses @(@{ Sku = 'ENTERPRISEWITHSCAL'; Disabled = @('SWAY', 'PROJECTWORKMANAGEMENT') })
        $script:Dep = Start-TestSimulator -Tenant $tenant -Arguments @('--licensing-rules', 'on', '--extra-licensing-rules', $rules)
        Connect-To $script:Dep
        $script:E5Id = '06ebc4ee-1bb5-47dd-8120-11324bc54e06'
    }

    AfterAll { Stop-TestSimulator $script:Dep }

    It 'a sourced rule costs no refused write: Defender for Office 365 is disabled with Exchange, in the first write' {
        $result = $script:NoMail.userPrincipalName | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -Confirm:$false
        "$($result.Status)" | Should -Be 'Moved'
        $result.Attempts | Should -Be 1
        $result.AdjustedPlans | Should -Match 'ATP_ENTERPRISE \(SPE_E5\): needs EXCHANGE_S_ENTERPRISE, which is disabled for this user'
        (Get-SimulatorStats $script:Dep).dependencyViolations | Should -Be 0
    }

    It 'an unknown rule is read from the 400 and the user moved after exactly one refused write' {
        $result = $script:NoSway.userPrincipalName | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -Confirm:$false
        "$($result.Status)" | Should -Be 'Moved'
        $result.Attempts | Should -Be 2
        $result.AdjustedPlans | Should -Match '^WHITEBOARD_PLAN3 \(SPE_E5\): needs SWAY'
        (Get-SimulatorLicenseWrites $script:Dep $script:NoSway.id) | Should -Be 1
        $after = (Get-SimulatorTenant $script:Dep).users | Where-Object id -eq $script:NoSway.id
        $e5 = $after.assignedLicenses | Where-Object skuId -eq $script:E5Id
        @($e5.disabledPlans) | Should -Contain (Get-CatalogPlanId SPE_E5 WHITEBOARD_PLAN3)
    }

    It 'never sends a third write: a second unknown rule fails the user unchanged (PlanDependencyRejected)' {
        $result = $script:TwoUnknown.userPrincipalName | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable errors
        "$($result.Status)" | Should -Be 'Failed'
        $result.Reason | Should -Be 'PlanDependencyRejected'
        $result.Attempts | Should -Be 2
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'PlanDependencyRejected*'
        $after = (Get-SimulatorTenant $script:Dep).users | Where-Object id -eq $script:TwoUnknown.id
        @($after.assignedLicenses.skuId) | Should -Be @('1392051d-0cb9-4b7a-88d5-621fee5e8711')
        (Get-SimulatorStats $script:Dep).usersEverUnlicensed | Should -Be 0
    }
}
