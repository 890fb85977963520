# Undo-E4Upgrade through the built module, on one simulator for the file: an upgrade of users with disabled plans and a
# group, then its undo. Every user and group ends as at the start, nobody is ever unlicensed (the simulator's own record),
# each moved user is written once by the run and once by the undo, including across an undo killed mid-way and resumed.
# A user changed after the run is skipped; too few source seats stop the undo before any write; -WhatIf writes nothing
# (the simulator's write count and the journal's bytes). The planner's cases are in xunit (Upgrade/Undo).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'data/upgrade/UpgradeTenant.psm1') -Force
    $script:ModulePath = Get-TestModulePath
    Import-Module $script:ModulePath -Force

    $tenant = New-UpgradeTenant
    Add-TenantSku $tenant -PartNumber ENTERPRISEWITHSCAL -Seats 130
    Add-TenantSku $tenant -PartNumber ENTERPRISEPREMIUM -Seats 200
    Add-TenantSku $tenant -PartNumber ENTERPRISEPACK -Seats 20
    $script:Direct = @(1..120 | ForEach-Object {
            $disabled = @(if ($_ % 3 -eq 0) { 'SWAY' }; if ($_ % 4 -eq 0) { 'FORMS_PLAN_E3' })
            Add-TenantUser $tenant -Name ('undo{0:D3}' -f $_) -Licenses @(@{ Sku = 'ENTERPRISEWITHSCAL'; Disabled = $disabled })
        })
    $members = @(1..5 | ForEach-Object { Add-TenantUser $tenant -Name ('member{0}' -f $_) })
    $script:Group = Add-TenantGroup $tenant -Name 'E4 staff' -License @{ Sku = 'ENTERPRISEWITHSCAL'; Disabled = @('MCOVOICECONF') } -Members $members
    # Hold E3 for good: the seat test gives them E4 for a while and takes it away again, never leaving them unlicensed.
    $script:SeatTakers = @(1..10 | ForEach-Object { Add-TenantUser $tenant -Name ('seat{0:D2}' -f $_) -Licenses @('ENTERPRISEPACK') })
    $script:E4 = Get-TenantSkuId $tenant ENTERPRISEWITHSCAL
    $script:E5 = Get-TenantSkuId $tenant ENTERPRISEPREMIUM
    # 200 ms per request: the undo of 120 users takes several $batch round trips, so a kill lands mid-way.
    $script:Sim = Start-TestSimulator -Tenant $tenant -Arguments @('--latency-ms', '200', '--group-delay-ms', '100')
    $script:Journal = Join-Path $TestDrive 'undo.jsonl'

    # Every user's licenses (direct and through groups, with disabled plans and states) and every group's, one line each.
    function Get-LicenseState {
        $dump = Get-SimulatorTenant $script:Sim
        $lines = foreach ($user in $dump.users) {
            $held = @($user.licenseAssignmentStates | ForEach-Object {
                    "$($_.skuId)/$(if ($_.assignedByGroup) { 'group' } else { 'direct' })/$((@($_.disabledPlans) | Sort-Object) -join ',')/$($_.state)/$($_.error)"
                } | Sort-Object)
            "$($user.userPrincipalName)=$($held -join ' | ')"
        }
        $lines += foreach ($group in $dump.groups) {
            "group $($group.displayName)=$((@($group.assignedLicenses | ForEach-Object { "$($_.skuId)/$((@($_.disabledPlans) | Sort-Object) -join ',')" }) | Sort-Object) -join ' | ')"
        }
        @($lines | Sort-Object)
    }

    # A license change sent straight to Graph (the simulator), as an admin would make it by hand.
    function Set-License([string] $UserId, [object[]] $Add = @(), [string[]] $Remove = @()) {
        $body = @{ addLicenses = @($Add); removeLicenses = @($Remove) } | ConvertTo-Json -Depth 5
        Invoke-RestMethod -Method Post -Uri "$($script:Sim.GraphUrl)/users/$UserId/assignLicense" -Body $body -ContentType 'application/json' `
            -Headers @{ Authorization = "Bearer $($script:Sim.Token)" } | Out-Null
    }

    # Waits (at most 60 s) until Entra, here the simulator, has processed the group's members and the state is the one expected.
    function Wait-LicenseState([string[]] $Expected) {
        $null = Wait-TestCondition { -not (Compare-Object $Expected (Get-LicenseState)) }
        Get-LicenseState
    }

    $script:Start = Get-LicenseState
    Connect-E4Upgrade -AccessToken (New-SecureToken $script:Sim.Token) -GraphEndpoint $script:Sim.GraphUrl | Out-Null
    $script:Run = Start-E4Upgrade -TargetSku ENTERPRISEPREMIUM -JournalPath $script:Journal -PollInterval 00:00:00.2 -Confirm:$false -WarningAction SilentlyContinue
}

AfterAll {
    Disconnect-E4Upgrade -Confirm:$false
    Stop-TestSimulator $script:Sim
}

Describe 'Undo-E4Upgrade' {
    It 'the run moved every user and the group' {
        $script:Run.Succeeded | Should -BeTrue
        $script:Run.Moved | Should -Be 120
        $script:Run.GroupsSwapped | Should -Be 1
    }

    It '-WhatIf shows who would get what back and writes nothing, not even the journal' {
        $writes = (Get-SimulatorStats $script:Sim).writes
        $journal = Get-FileHash $script:Journal

        $plan = @(Undo-E4Upgrade -JournalPath $script:Journal -WhatIf)

        $rows = @($plan | Where-Object { $_ -is [E4Upgrade.Output.UndoResultRecord] })
        $rows.Count | Should -Be 121
        @($rows | Where-Object Status -ne 'WouldUndo') | Should -BeNullOrEmpty
        @(($rows | Where-Object UserPrincipalName -eq 'undo012@contoso.onmicrosoft.com').DisabledPlans -split '; ' | Sort-Object) | Should -Be @('FORMS_PLAN_E3', 'SWAY')
        ($rows | Where-Object Kind -eq 'Group').RemovedSkus | Should -Be 'ENTERPRISEPREMIUM'
        ($plan | Select-Object -Last 1).WouldUndo | Should -Be 121
        (Get-SimulatorStats $script:Sim).writes | Should -Be $writes
        (Get-FileHash $script:Journal).Hash | Should -Be $journal.Hash
    }

    It 'refuses before any write when the source lacks the seats to give back' {
        foreach ($taker in $script:SeatTakers) { Set-License $taker.id -Add @(@{ skuId = $script:E4; disabledPlans = @() }) }
        $writes = (Get-SimulatorStats $script:Sim).writes
        $journal = Get-FileHash $script:Journal
        try {
            $err = Get-CaughtError { Undo-E4Upgrade -JournalPath $script:Journal -Confirm:$false }
            $writesAfter = (Get-SimulatorStats $script:Sim).writes
        } finally {
            foreach ($taker in $script:SeatTakers) { Set-License $taker.id -Remove @($script:E4) }
        }

        $err.FullyQualifiedErrorId | Should -BeLike 'InsufficientSourceSeats,*'
        $err.Exception.Message | Should -Match '120 free seats, and giving it back needs 125'
        $writesAfter | Should -Be $writes
        (Get-FileHash $script:Journal).Hash | Should -Be $journal.Hash
    }

    It 'reverses only the rows of the report piped in' {
        $picked = @(Get-E4UpgradeReport -JournalPath $script:Journal | Where-Object { $_.Kind -eq 'User' -and $_.UserPrincipalName -in 'undo001@contoso.onmicrosoft.com', 'undo012@contoso.onmicrosoft.com' })

        $out = @($picked | Undo-E4Upgrade -Confirm:$false)

        @($out | Where-Object Status -eq 'Undone' | ForEach-Object UserPrincipalName | Sort-Object) | Should -Be @('undo001@contoso.onmicrosoft.com', 'undo012@contoso.onmicrosoft.com')
        $state = Get-LicenseState
        $state | Where-Object { $_ -like 'undo012@*' } | Should -Be ($script:Start | Where-Object { $_ -like 'undo012@*' })
        $state | Where-Object { $_ -like 'undo002@*' } | Should -Not -Be ($script:Start | Where-Object { $_ -like 'undo002@*' })
    }

    Context 'killed mid-way and resumed, with a user changed after the run' {
        BeforeAll {
            # An admin re-enables SWAY on the target for undo003 after the run: the undo must leave that user alone.
            $script:Changed = $script:Direct[2]
            Set-License $script:Changed.id -Add @(@{ skuId = $script:E5; disabledPlans = @() })
            $script:ChangedState = Get-LicenseState | Where-Object { $_ -like 'undo003@*' }

            $writes = (Get-SimulatorStats $script:Sim).writes
            $script:Killed = Start-BackgroundPwsh -Script @"
`$ProgressPreference = 'SilentlyContinue'
Import-Module '$script:ModulePath'
Connect-E4Upgrade -AccessToken (ConvertTo-SecureString '$($script:Sim.Token)' -AsPlainText -Force) -GraphEndpoint '$($script:Sim.GraphUrl)' | Out-Null
Undo-E4Upgrade -JournalPath '$script:Journal' -Confirm:`$false | Out-Null
'FINISHED'
"@
            $script:Reached = Wait-SimulatorWrites -Simulator $script:Sim -AtLeast ($writes + 40) -Process $script:Killed.Process -TimeoutSeconds 90
            Stop-Process -Id $script:Killed.Process.Id -Force -ErrorAction Ignore
            $script:KilledEnd = Wait-BackgroundPwsh $script:Killed -TimeoutSeconds 30
            # The killed process is gone: once the requests it sent are answered, nothing more arrives.
            $null = Wait-SimulatorQuiet $script:Sim -QuietSeconds 0.5
            $script:WritesAtKill = Get-SimulatorLicenseWritesByUser $script:Sim

            $script:Resumed = @(Undo-E4Upgrade -JournalPath $script:Journal -Confirm:$false)
            $script:Summary = $script:Resumed | Select-Object -Last 1
            $expected = @($script:Start | ForEach-Object { if ($_ -like 'undo003@*') { $script:ChangedState } else { $_ } })
            $script:End = Wait-LicenseState $expected
            $script:Expected = $expected
            $script:Stats = Get-SimulatorStats $script:Sim
            $script:Writes = Get-SimulatorLicenseWritesByUser $script:Sim
        }

        It 'the first undo was killed before it finished' {
            $script:Reached | Should -Not -BeNullOrEmpty -Because ($script:KilledEnd.Output -join "`n")
            $script:KilledEnd.Output | Should -Not -Contain 'FINISHED'
            $undone = @($script:Direct | Where-Object { $script:WritesAtKill.($_.id) -eq 2 })
            $undone.Count | Should -BeGreaterThan 2
            $undone.Count | Should -BeLessThan 119
        }

        It 'the same command continues it: earlier undos are not redone, the changed user is skipped with its reason' {
            $script:Summary.DoneEarlier | Should -BeGreaterThan 2
            ($script:Summary.DoneEarlier + $script:Summary.Undone + $script:Summary.AlreadyUndone + $script:Summary.Skipped) | Should -Be 121
            $script:Summary.Failed | Should -Be 0
            $skipped = @($script:Resumed | Where-Object { $_ -is [E4Upgrade.Output.UndoResultRecord] -and $_.Status -eq 'Skipped' })
            $skipped.UserPrincipalName | Should -Be 'undo003@contoso.onmicrosoft.com'
            $skipped.Reason | Should -Be 'UndoChangedSinceRun'
            $skipped.Message | Should -Match 'enabled again: SWAY'
        }

        It 'every user and the group hold what they held at the start; the changed user what the admin gave it' {
            Compare-Object $script:Expected $script:End | Should -BeNullOrEmpty
        }

        It 'never left anyone unlicensed, and wrote each moved user once to undo it' {
            $script:Stats.usersEverUnlicensed | Should -Be 0
            foreach ($user in $script:Direct) {
                $script:Writes.($user.id) | Should -Be 2 -Because "$($user.userPrincipalName): one write by the run, one by the undo (or by the admin)"
            }
        }

        It 'the report shows the undo: who was undone, who was skipped and why' {
            $summary = Get-E4UpgradeReport -JournalPath $script:Journal -Summary
            $summary.UndoRuns | Should -BeGreaterOrEqual 3
            $summary.Undone | Should -Be 120
            $summary.UndoSkipped | Should -Be 1
            $summary.UndoFailed | Should -Be 0
            $summary.Moved | Should -Be 125
            $undo = @(Get-E4UpgradeReport -JournalPath $script:Journal | Where-Object Kind -eq 'Undo')
            $undo.Count | Should -Be 121
            ($undo | Where-Object Status -eq 'Skipped').Reason | Should -Be 'UndoChangedSinceRun'
            ($undo | Where-Object GroupId -eq $script:Group.id).Status | Should -Be 'Undone'
        }

        It 'a second run of the same command has nothing left to do' {
            $again = @(Undo-E4Upgrade -JournalPath $script:Journal -Confirm:$false) | Select-Object -Last 1
            $again.DoneEarlier | Should -Be 120
            $again.Undone | Should -Be 0
            $again.Skipped | Should -Be 1
        }
    }
}
