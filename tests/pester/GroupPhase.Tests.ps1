# Start-E4Upgrade's group phase against the simulator's realistic profile: Entra starts on a group 10 s after its swap
# (RealisticProfile, --time-scale 1) on a clock the test holds, so a short -GroupProcessingTimeout times out; the test
# then moves that clock past the delay (Step-SimulatorClock) and the same command run again finishes
# without a second swap, and the progress bar shows members moved and pending. Then a group with a member whom Graph
# would refuse the target (MutuallyExclusiveViolation) is refused unless -AcceptFinding GroupMemberConflicts.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    $script:ModulePath = Get-TestModulePath
    Import-Module $script:ModulePath -Force
    $script:E4Id = '1392051d-0cb9-4b7a-88d5-621fee5e8711'
    $script:E5Id = '06ebc4ee-1bb5-47dd-8120-11324bc54e06'
    $script:E1Id = '18181a46-0d4e-45cd-891e-60aabd171b4e'
    $script:ExchangePlan2 = 'efb87545-963c-4e0d-99df-69c6916d9eb0'

    function Select-Type($items, [string] $name) { @($items | Where-Object { $_.PSObject.TypeNames[0] -like "*.$name" }) }

    # Runs Start-E4Upgrade in a runspace of its own, so its progress records can be read back (Streams.Progress).
    function Invoke-Upgrade($simulator, [hashtable] $Parameters) {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($ModulePath, $Token, $GraphUrl, $Parameters)
                    Import-Module $ModulePath
                    Connect-E4Upgrade -AccessToken (ConvertTo-SecureString $Token -AsPlainText -Force) -GraphEndpoint $GraphUrl | Out-Null
                    Start-E4Upgrade @Parameters -Confirm:$false -PassThru -WarningAction SilentlyContinue
                }).AddArgument($script:ModulePath).AddArgument($simulator.Token).AddArgument($simulator.GraphUrl).AddArgument($Parameters)
            $output = @($ps.Invoke())
            [pscustomobject]@{
                Output   = $output
                Summary  = (Select-Type $output 'UpgradeSummary')[0]
                Progress = @($ps.Streams.Progress)
                Errors   = @($ps.Streams.Error)
            }
        }
        finally { $ps.Dispose() }
    }

    function Get-ActiveSkus($tenant, [string] $upn) {
        $user = $tenant.users | Where-Object userPrincipalName -eq $upn
        @($user.licenseAssignmentStates | Where-Object state -eq 'Active' | ForEach-Object skuId)
    }
}

Describe 'Start-E4Upgrade under the realistic profile''s slow group processing' {
    BeforeAll {
        # 100 users: 95 direct, 5 through the three groups "E4 licensing A/B/C" (two of them in two groups).
        # The clock of group processing is held: the first run sees no group processed, however slow the machine.
        $script:Sim = Start-TestSimulator -Arguments @('--profile', 'realistic', '--users', '100', '--seed', '3', '--clock', 'held')
        $tenant = Get-SimulatorTenant $script:Sim
        $script:Memberships = ($tenant.groups | ForEach-Object { @($_.members).Count } | Measure-Object -Sum).Sum
        $journal = Join-Path $TestDrive 'groups.jsonl'
        $common = @{ TargetSku = 'SPE_E5'; UsageLocation = 'US'; JournalPath = $journal; PollInterval = [TimeSpan]::FromMilliseconds(100) }

        $script:First = Invoke-Upgrade $script:Sim ($common + @{ GroupProcessingTimeout = [TimeSpan]::FromSeconds(1) })
        $script:Between = Get-SimulatorStats $script:Sim
        # Entra's 10 s start delay and the members' processing pass at once: the simulator's clock is moved, not waited for.
        $script:ClockAdvanced = Step-SimulatorClock $script:Sim -Seconds 60
        $script:Second = Invoke-Upgrade $script:Sim ($common + @{ GroupProcessingTimeout = [TimeSpan]::FromMinutes(2) })
        $script:Stats = Get-SimulatorStats $script:Sim
        $script:After = Get-SimulatorTenant $script:Sim
    }

    AfterAll { Stop-TestSimulator $script:Sim }

    It 'the first run times out on every group, reports its members pending and ends with UpgradeIncomplete' {
        $script:First.Summary.GroupsTimedOut | Should -Be 3
        $script:First.Summary.GroupMembersPending | Should -Be $script:Memberships
        $script:First.Summary.Failed | Should -Be 0
        @($script:First.Errors | ForEach-Object { $_.FullyQualifiedErrorId -replace ',.*' }) | Should -Be @('UpgradeIncomplete')
        $timedOut = Select-Type $script:First.Output 'GroupUpgradeResult' | Where-Object { "$($_.Status)" -eq 'TimedOut' }
        @($timedOut).Count | Should -Be 3
    }

    It 'shows each group''s members pending in a progress bar under the group phase while it waits' {
        $groupPhase = @($script:First.Progress | Where-Object Activity -like 'Moving * groups *')
        $groupPhase | Should -Not -BeNullOrEmpty
        $members = @($script:First.Progress | Where-Object { $_.Activity -like 'Group E4 licensing *: Entra is processing its members' })
        $members | Should -Not -BeNullOrEmpty
        $members | ForEach-Object { $_.ParentActivityId | Should -Be $groupPhase[0].ActivityId }
        @($members | Where-Object { $_.RecordType -eq 'Processing' -and $_.StatusDescription -match '0 of \d+ members moved, 0 with errors, [1-9]\d* pending; waiting for Entra' }) |
            Should -Not -BeNullOrEmpty
    }

    It 'the same command run again verifies every group and finishes' {
        $script:Second.Errors | Should -BeNullOrEmpty
        $script:Second.Summary.Resumed | Should -BeTrue
        $script:Second.Summary.Succeeded | Should -BeTrue
        $script:Second.Summary.GroupsSwapped | Should -Be 3
        $script:Second.Summary.GroupMembersMoved | Should -Be $script:Memberships
        @($script:Second.Progress | Where-Object { $_.StatusDescription -match '^E4 licensing .*: (\d+) of \1 members moved, 0 with errors, 0 pending$' }) | Should -Not -BeNullOrEmpty
    }

    It 'sent no swap and no user write twice, and never left anyone unlicensed' {
        $script:Stats.licenseWrites | Should -Be $script:Between.licenseWrites
        $script:Stats.usersWithMultipleLicenseWrites | Should -Be 0
        $script:Stats.usersEverUnlicensed | Should -Be 0
        # Each group's members were processed once: each group was swapped once.
        $script:Stats.groupMembersProcessed | Should -Be $script:Memberships
    }

    It 'leaves every user on the target and without E4' {
        foreach ($user in $script:After.users) {
            $skus = @($user.licenseAssignmentStates | Where-Object state -eq 'Active' | ForEach-Object skuId)
            $skus | Should -Contain $script:E5Id -Because $user.userPrincipalName
            @($user.licenseAssignmentStates | Where-Object skuId -eq $script:E4Id) | Should -BeNullOrEmpty -Because $user.userPrincipalName
        }
    }
}

Describe 'Start-E4Upgrade refusing a group whose member Graph would refuse the target' {
    BeforeAll {
        # person1 has Office 365 E1 (Exchange Online Plan 1); "E4 staff" assigns E4 with Exchange Plan 2 disabled, so today
        # nothing conflicts. -DisabledPlans replaces the mapping, so the target would bring Exchange Plan 2: with the
        # realistic profile's rules, group licensing refuses it for person1 (MutuallyExclusiveViolation) after E4 is gone.
        $tenant = @{
            subscribedSkus = @(
                @{ skuPartNumber = 'ENTERPRISEWITHSCAL'; seats = 10 }
                @{ skuPartNumber = 'SPE_E5'; seats = 10 }
                @{ skuPartNumber = 'STANDARDPACK'; seats = 10 })
            users          = @(1..3 | ForEach-Object {
                    @{ id = "00000000-0000-4000-8000-00000000000$_"; userPrincipalName = "person$_@contoso.onmicrosoft.com"; usageLocation = 'US'
                        assignedLicenses = @(if ($_ -eq 1) { @{ skuId = $script:E1Id; disabledPlans = @() } }) }
                })
            groups         = @(@{ id = '00000000-0000-4000-9000-000000000001'; displayName = 'E4 staff'
                    assignedLicenses = @(@{ skuId = $script:E4Id; disabledPlans = @($script:ExchangePlan2) })
                    members = @(1..3 | ForEach-Object { "00000000-0000-4000-8000-00000000000$_" }) })
        }
        $script:Sim = Start-TestSimulator -Tenant $tenant -Arguments @('--profile', 'realistic', '--time-scale', '10')
        Connect-E4Upgrade -AccessToken (New-SecureToken $script:Sim.Token) -GraphEndpoint $script:Sim.GraphUrl | Out-Null
        $script:Common = @{ TargetSku = 'SPE_E5'; DisabledPlans = @('FORMS_PLAN_E5'); PollInterval = [TimeSpan]::FromMilliseconds(100); Confirm = $false; PassThru = $true }
    }

    AfterAll { Stop-TestSimulator $script:Sim }

    It 'eligibility warns GroupMemberConflicts only with the plans the run would assign' {
        # Eligibility maps each member's disabled plans, so it sees no conflict; the -DisabledPlans override is the run's.
        $report = Test-E4UpgradeEligibility -TargetSku SPE_E5 -WarningAction SilentlyContinue
        @($report.Findings | Where-Object Code -eq 'GroupMemberConflicts') | Should -BeNullOrEmpty
    }

    It 'refuses the group, reports the member with the cause, and nobody loses E4' {
        $journal = Join-Path $TestDrive 'refused.jsonl'
        $out = @(Start-E4Upgrade @script:Common -JournalPath $journal -WarningAction SilentlyContinue -ErrorVariable runErrors -ErrorAction SilentlyContinue)
        $group = (Select-Type $out 'GroupUpgradeResult')[0]
        "$($group.Status)" | Should -Be 'Failed'
        $group.Message | Should -Match 'GroupMemberConflicts'
        $rows = Select-Type $out 'LicenseMoveResult'
        @($rows.UserPrincipalName) | Should -Be @('person1@contoso.onmicrosoft.com')
        $rows[0].Reason | Should -Be 'LicenseConflict'
        $rows[0].Message | Should -Match 'MutuallyExclusiveViolation.*EXCHANGE_S_STANDARD'
        @($runErrors | ForEach-Object { $_.FullyQualifiedErrorId -replace ',.*' }) | Should -Contain 'UpgradeIncomplete'

        $after = Get-SimulatorTenant $script:Sim
        foreach ($n in 1..3) { Get-ActiveSkus $after "person$n@contoso.onmicrosoft.com" | Should -Contain $script:E4Id }
        (Get-SimulatorStats $script:Sim).usersEverUnlicensed | Should -Be 0
    }

    It 'with -AcceptFinding GroupMemberConflicts swaps the group, and Graph refuses the target for that member as predicted' {
        $journal = Join-Path $TestDrive 'accepted.jsonl'
        $out = @(Start-E4Upgrade @script:Common -JournalPath $journal -AcceptFinding GroupMemberConflicts -GroupProcessingTimeout 00:00:30 `
                -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction SilentlyContinue)
        @($warnings | Where-Object { "$_" -match 'GroupMemberConflicts\] accepted' }) | Should -Not -BeNullOrEmpty
        $failed = @(Select-Type $out 'LicenseMoveResult' | Where-Object { "$($_.Status)" -eq 'Failed' })
        @($failed.UserPrincipalName) | Should -Be @('person1@contoso.onmicrosoft.com')
        $failed[0].Message | Should -Match 'MutuallyExclusiveViolation'
        $after = Get-SimulatorTenant $script:Sim
        Get-ActiveSkus $after 'person1@contoso.onmicrosoft.com' | Should -Not -Contain $script:E4Id
        Get-ActiveSkus $after 'person1@contoso.onmicrosoft.com' | Should -Not -Contain $script:E5Id
        Get-ActiveSkus $after 'person2@contoso.onmicrosoft.com' | Should -Contain $script:E5Id
    }
}
