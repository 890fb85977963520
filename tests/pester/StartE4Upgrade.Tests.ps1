# Start-E4Upgrade against the Graph simulator: the plan (-WhatIf), a full upgrade of a generated tenant with direct and
# group assignments, refusal on a blocker and -AcceptFinding, UpgradeIncomplete, CSV export. Tenant state is read back
# from the simulator. A run killed mid-way (a process killed) and resumed is FaultSuite.Tests.ps1's, three times over.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'data/upgrade/UpgradeTenant.psm1') -Force
    $script:ModulePath = Get-TestModulePath
    Import-Module $script:ModulePath -Force
    $script:E4Id = '1392051d-0cb9-4b7a-88d5-621fee5e8711'
    $script:E5Id = '06ebc4ee-1bb5-47dd-8120-11324bc54e06'

    function Connect-To($simulator) {
        Connect-E4Upgrade -AccessToken (New-SecureToken $simulator.Token) -GraphEndpoint $simulator.GraphUrl | Out-Null
    }

    function Select-Type($items, [string] $name) { @($items | Where-Object { $_.PSObject.TypeNames[0] -like "*.$name" }) }

    function Get-View($simulator) { @(Get-UserLicenseView (Get-SimulatorTenant $simulator) -SourceSkuId $script:E4Id -TargetSkuId $script:E5Id) }
}

Describe 'Start-E4Upgrade on a generated tenant with direct and group assignments' {
    BeforeAll {
        # 120 generated users: every 20th from the 11th only through the groups (6), every 20th from the 3rd with disabled plans (6).
        $script:Sim = Start-TestSimulator -Arguments @('--users', '120', '--group-delay-ms', '100', '--time-scale', '10')
        $script:Before = Get-SimulatorTenant $script:Sim
        $script:BeforeView = @(Get-UserLicenseView $script:Before -SourceSkuId $script:E4Id -TargetSkuId $script:E5Id)
        $script:DirectIds = @($script:BeforeView | Where-Object DirectSource | ForEach-Object Id)
        $script:GroupOnlyIds = @($script:BeforeView | Where-Object { $_.GroupSource -and -not $_.DirectSource } | ForEach-Object Id)
        $script:GroupMemberships = ($script:Before.groups | ForEach-Object { @($_.members).Count } | Measure-Object -Sum).Sum
        $script:Journal = Join-Path $TestDrive 'upgrade.jsonl'
        Connect-To $script:Sim
    }

    AfterAll { Stop-TestSimulator $script:Sim }

    It 'the generated tenant has direct users, group-only users and disabled plans to carry over' {
        $script:DirectIds.Count | Should -BeGreaterThan 100
        $script:GroupOnlyIds.Count | Should -Be 6
        @($script:BeforeView | Where-Object { $_.SourceDisabledPlans.Count -gt 0 }).Count | Should -Be 6
    }

    Context '-WhatIf' {
        BeforeAll {
            $script:Plan = @(Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath $script:Journal -WhatIf -WarningAction SilentlyContinue)
        }

        It 'changes nothing: no write, no journal file' {
            (Get-SimulatorStats $script:Sim).writes | Should -Be 0
            Test-Path $script:Journal | Should -BeFalse
            $after = @(Get-UserLicenseView (Get-SimulatorTenant $script:Sim) -SourceSkuId $script:E4Id -TargetSkuId $script:E5Id)
            @($after | Where-Object HoldsTargetActive).Count | Should -Be 0
            @($after | Where-Object HoldsSource).Count | Should -Be 120
        }

        It 'returns a WouldMove row per direct user and per group membership' {
            $rows = Select-Type $script:Plan 'LicenseMoveResult'
            $rows.Count | Should -Be ($script:DirectIds.Count + $script:GroupMemberships)
            @($rows | Where-Object Status -ne 'WouldMove') | Should -BeNullOrEmpty
            $direct = @($rows | Where-Object { -not $_.GroupId })
            @($direct.UserId | Sort-Object) | Should -Be @($script:DirectIds | Sort-Object)
            $direct[0].FromSku | Should -Be 'ENTERPRISEWITHSCAL'
            $direct[0].ToSku | Should -Be 'SPE_E5'
        }

        It 'shows the mapped disabled plans for users who have some' {
            $rows = Select-Type $script:Plan 'LicenseMoveResult' | Where-Object { $_.DisabledPlansBefore }
            $rows.Count | Should -Be 6
            @($rows | Where-Object { -not $_.DisabledPlansAfter -and -not $_.DroppedPlans }) | Should -BeNullOrEmpty
        }

        It 'returns a WouldSwap row per group and a PlanOnly summary' {
            $groups = Select-Type $script:Plan 'GroupUpgradeResult'
            @($groups.GroupId | Sort-Object) | Should -Be @($script:Before.groups.id | Sort-Object)
            @($groups | Where-Object { "$($_.Status)" -ne 'WouldSwap' }) | Should -BeNullOrEmpty
            $summary = Select-Type $script:Plan 'UpgradeSummary'
            $summary.Count | Should -Be 1
            $summary[0].PlanOnly | Should -BeTrue
            $summary[0].WouldMove | Should -Be $script:DirectIds.Count
            $summary[0].GroupMembersWouldMove | Should -Be $script:GroupMemberships
            $summary[0].Moved | Should -Be 0
            $summary[0].JournalPath | Should -BeNullOrEmpty
        }
    }

    Context 'the real run' {
        BeforeAll {
            $script:Csv = Join-Path $TestDrive 'results.csv'
            $script:Out = @(Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath $script:Journal -PollInterval 00:00:00.2 `
                    -Confirm:$false -PassThru -WarningAction SilentlyContinue -ErrorVariable runErrors)
            $script:RunErrors = @($runErrors)
            $script:Summary = (Select-Type $script:Out 'UpgradeSummary')[0]
            $script:After = Get-SimulatorTenant $script:Sim
            $script:AfterView = @(Get-UserLicenseView $script:After -SourceSkuId $script:E4Id -TargetSkuId $script:E5Id)
            $script:Stats = Get-SimulatorStats $script:Sim
        }

        It 'reports no error' {
            $script:RunErrors | Should -BeNullOrEmpty
        }

        It 'leaves every user on the target and without E4' {
            @($script:AfterView | Where-Object { -not $_.HoldsTargetActive } | ForEach-Object UserPrincipalName) | Should -BeNullOrEmpty
            @($script:AfterView | Where-Object HoldsSource | ForEach-Object UserPrincipalName) | Should -BeNullOrEmpty
            @($script:AfterView | Where-Object { $_.Errors.Count -gt 0 } | ForEach-Object UserPrincipalName) | Should -BeNullOrEmpty
        }

        It 'moves direct users directly and group users at their group' {
            @($script:AfterView | Where-Object { $_.Id -in $script:DirectIds -and -not $_.DirectTarget }) | Should -BeNullOrEmpty
            $groupOnly = @($script:AfterView | Where-Object { $_.Id -in $script:GroupOnlyIds })
            $groupOnly.Count | Should -Be $script:GroupOnlyIds.Count
            @($groupOnly | Where-Object { $_.DirectTarget -or -not $_.GroupTargetActive }) | Should -BeNullOrEmpty
        }

        It 'makes every group assign the target and not E4' {
            foreach ($group in $script:After.groups) {
                @($group.assignedLicenses.skuId) | Should -Be @($script:E5Id) -Because $group.displayName
            }
        }

        It 'maps each user''s disabled E4 plans onto the target' {
            $sourceSku = $script:Before.subscribedSkus | Where-Object skuId -eq $script:E4Id
            $targetSku = $script:Before.subscribedSkus | Where-Object skuId -eq $script:E5Id
            foreach ($user in ($script:BeforeView | Where-Object { $_.SourceDisabledPlans.Count -gt 0 })) {
                $expected = @(Get-ExpectedTargetPlans -SourceSku $sourceSku -TargetSku $targetSku -DisabledPlanIds $user.SourceDisabledPlans)
                $actual = @(($script:AfterView | Where-Object Id -eq $user.Id).TargetDisabledPlans | Sort-Object)
                $actual | Should -Be $expected -Because "$($user.UserPrincipalName) had $($user.SourceDisabledPlans -join ',')"
            }
        }

        It 'sets the usage location on the direct user who had none' {
            ($script:AfterView | Where-Object UserPrincipalName -eq 'user00007@contoso.onmicrosoft.com').UsageLocation | Should -Be 'US'
        }

        It 'changes each direct user''s license with exactly one write and never leaves anyone unlicensed' {
            $script:Stats.usersEverUnlicensed | Should -Be 0
            $script:Stats.usersWithMultipleLicenseWrites | Should -Be 0
            $script:Stats.licenseWrites | Should -Be $script:DirectIds.Count
        }

        It 'returns a summary whose counts match the tenant' {
            $script:Summary.Succeeded | Should -BeTrue
            $script:Summary.PlanOnly | Should -BeFalse
            $script:Summary.Resumed | Should -BeFalse
            $script:Summary.Moved | Should -Be $script:DirectIds.Count
            $script:Summary.AlreadyMoved | Should -Be 0
            $script:Summary.Failed | Should -Be 0
            $script:Summary.Skipped | Should -Be 0
            $script:Summary.Groups | Should -Be 3
            $script:Summary.GroupsSwapped | Should -Be 3
            $script:Summary.GroupMembersMoved | Should -Be $script:GroupMemberships
            $script:Summary.GroupMembersFailed | Should -Be 0
            $script:Summary.GroupMembersPending | Should -Be 0
            $script:Summary.JournalPath | Should -Be $script:Journal
        }

        It 'returns a Moved row per direct user and group membership, and a Swapped row per group with -PassThru' {
            $rows = Select-Type $script:Out 'LicenseMoveResult'
            $rows.Count | Should -Be ($script:DirectIds.Count + $script:GroupMemberships)
            @($rows | Where-Object Status -ne 'Moved') | Should -BeNullOrEmpty
            $groups = Select-Type $script:Out 'GroupUpgradeResult'
            @($groups | Where-Object { "$($_.Status)" -ne 'Swapped' }) | Should -BeNullOrEmpty
            $groups.Count | Should -Be 3
        }

        It 'pipes the per-user rows to Export-Csv cleanly' {
            Select-Type $script:Out 'LicenseMoveResult' | Export-Csv -Path $script:Csv -NoTypeInformation
            $csv = @(Import-Csv $script:Csv)
            $csv.Count | Should -Be ($script:DirectIds.Count + $script:GroupMemberships)
            @($csv | Where-Object { -not $_.UserPrincipalName -or $_.Status -ne 'Moved' }) | Should -BeNullOrEmpty
            $withPlans = @($csv | Where-Object DisabledPlansBefore)
            $withPlans.Count | Should -Be 6
            @($csv | ForEach-Object { $_.PSObject.Properties.Value } | Where-Object { $_ -match '^System\.' }) | Should -BeNullOrEmpty
        }

        It 'keeps the journal readable by its owner only' -Skip:$IsWindows {
            (Get-Item $script:Journal).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
            Get-Content -Raw $script:Journal | Should -Not -Match ([regex]::Escape($script:Sim.Token))
        }

        It 'running the same command again redoes nothing' {
            $again = @(Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath $script:Journal -PollInterval 00:00:00.2 -Confirm:$false -WarningAction SilentlyContinue)
            $summary = (Select-Type $again 'UpgradeSummary')[0]
            $summary.Resumed | Should -BeTrue
            $summary.Moved | Should -Be 0
            $summary.Failed | Should -Be 0
            $stats = Get-SimulatorStats $script:Sim
            $stats.writes | Should -Be $script:Stats.writes
            $stats.licenseWrites | Should -Be $script:DirectIds.Count
        }
    }
}

Describe 'Start-E4Upgrade refusing on a blocker, then accepting it' {
    BeforeAll {
        $script:Sim2 = Start-TestSimulator -Arguments @('--users', '100', '--group-delay-ms', '100', '--time-scale', '10')
        $script:Journal2 = Join-Path $TestDrive 'accept.jsonl'
        $script:Direct2 = @(Get-UserLicenseView (Get-SimulatorTenant $script:Sim2) -SourceSkuId $script:E4Id -TargetSkuId $script:E5Id | Where-Object DirectSource)
        Connect-To $script:Sim2
    }

    AfterAll { Stop-TestSimulator $script:Sim2 }

    It 'refuses with NotEligible before any write, naming the blocker' {
        $caught = $null
        try {
            Start-E4Upgrade -TargetSku SPE_E5 -JournalPath $script:Journal2 -PollInterval 00:00:00.2 -Confirm:$false -WarningAction SilentlyContinue -ErrorAction Stop
        } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'NotEligible,*'
        $caught.Exception.Message | Should -Match '\[UsageLocationMissing\]'
        $caught.Exception.Message | Should -Match '-AcceptFinding UsageLocationMissing'
        $caught.Exception.Message | Should -Not -Match '\bat E4Upgrade\.'
        (Get-SimulatorStats $script:Sim2).writes | Should -Be 0
        Test-Path $script:Journal2 | Should -BeFalse
    }

    It 'runs with -AcceptFinding; the user without usage location fails and UpgradeIncomplete is reported' {
        $out = @(Start-E4Upgrade -TargetSku SPE_E5 -AcceptFinding UsageLocationMissing -JournalPath $script:Journal2 -PollInterval 00:00:00.2 `
                -Confirm:$false -PassThru -WarningAction SilentlyContinue -ErrorVariable runErrors -ErrorAction SilentlyContinue)
        # Failed users do not stop the run: one UpgradeIncomplete error at the end counts them by reason.
        @($runErrors.FullyQualifiedErrorId -replace ',.*$') | Should -Be @('UpgradeIncomplete')
        $runErrors[0].Exception.Message | Should -Match 'finished with 1 failed users \(UsageLocationMissing: 1\)'
        $summary = (Select-Type $out 'UpgradeSummary')[0]
        $summary.Succeeded | Should -BeFalse
        $summary.Failed | Should -Be 1
        $summary.Moved | Should -Be ($script:Direct2.Count - 1)
        @($summary.AcceptedFindings) | Should -Be @('UsageLocationMissing')
        $failed = @(Select-Type $out 'LicenseMoveResult' | Where-Object Status -eq 'Failed')
        $failed.UserPrincipalName | Should -Be 'user00007@contoso.onmicrosoft.com'
        $failed.Reason | Should -Be 'UsageLocationMissing'

        $view = Get-View $script:Sim2
        $user7 = $view | Where-Object UserPrincipalName -eq 'user00007@contoso.onmicrosoft.com'
        $user7.DirectSource | Should -BeTrue
        $user7.HoldsTargetActive | Should -BeFalse
        @($view | Where-Object { $_.UserPrincipalName -ne $user7.UserPrincipalName -and (-not $_.HoldsTargetActive -or $_.HoldsSource) }) | Should -BeNullOrEmpty
        (Get-SimulatorStats $script:Sim2).usersEverUnlicensed | Should -Be 0
    }

    It 'finishes the last user with -UsageLocation, without redoing the others' {
        $out = @(Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath $script:Journal2 -PollInterval 00:00:00.2 -Confirm:$false -WarningAction SilentlyContinue)
        $summary = (Select-Type $out 'UpgradeSummary')[0]
        $summary.Succeeded | Should -BeTrue
        $summary.Resumed | Should -BeTrue
        $summary.Moved | Should -Be 1
        $summary.DoneEarlier | Should -Be ($script:Direct2.Count - 1)
        $stats = Get-SimulatorStats $script:Sim2
        $stats.usersWithMultipleLicenseWrites | Should -Be 0
        $stats.licenseWrites | Should -Be $script:Direct2.Count
        @(Get-View $script:Sim2 | Where-Object { -not $_.HoldsTargetActive -or $_.HoldsSource }) | Should -BeNullOrEmpty
    }
}

Describe 'Start-E4Upgrade -ErrorAction Stop in a runbook when a user fails' {
    BeforeAll {
        $script:Sim5 = Start-TestSimulator -Arguments @('--users', '100', '--latency-ms', '100', '--group-delay-ms', '100', '--time-scale', '10')
        Connect-To $script:Sim5
        $script:Caught5 = $null
        try {
            Start-E4Upgrade -TargetSku SPE_E5 -AcceptFinding UsageLocationMissing -JournalPath (Join-Path $TestDrive 'stop.jsonl') -PollInterval 00:00:00.2 `
                -Confirm:$false -WarningAction SilentlyContinue -ErrorAction Stop | Out-Null
        } catch { $script:Caught5 = $_ }
        $script:Returned5 = [Diagnostics.Stopwatch]::StartNew()
        $script:AtReturn = Get-SimulatorStats $script:Sim5
    }

    It 'stops with UpgradeIncomplete, as the help promises for -ErrorAction Stop' {
        $script:Caught5 | Should -Not -BeNullOrEmpty
        $script:Caught5.FullyQualifiedErrorId | Should -BeLike 'UpgradeIncomplete,*'
    }
}

Describe 'Start-E4Upgrade -PassThru | Export-Csv as the help shows it' {
    BeforeAll {
        $script:Sim3 = Start-TestSimulator -Arguments @('--users', '40', '--group-delay-ms', '100', '--time-scale', '10')
        Connect-To $script:Sim3
    }

    AfterAll { Stop-TestSimulator $script:Sim3 }

    It 'writes one row per user' {
        $csv = Join-Path $TestDrive 'help-example.csv'
        Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath (Join-Path $TestDrive 'help.jsonl') -PollInterval 00:00:00.2 -Confirm:$false `
            -PassThru -WarningAction SilentlyContinue | Where-Object { $_ -is [E4Upgrade.Output.LicenseMoveResult] } | Export-Csv $csv -NoTypeInformation
        $rows = @(Import-Csv $csv)
        $memberships = ((Get-SimulatorTenant $script:Sim3).groups | ForEach-Object { @($_.members).Count } | Measure-Object -Sum).Sum
        $directUsers = (Get-SimulatorStats $script:Sim3).licenseWrites
        @($rows | Where-Object { -not $_.UserPrincipalName } | ForEach-Object { $_.Status }) | Should -BeNullOrEmpty -Because 'the help says "writes one row per user"; rows without a user are group or summary objects'
        $rows.Count | Should -Be ($directUsers + $memberships)
    }
}

Describe 'Start-E4Upgrade -ErrorAction Stop, once the cmdlet has returned' {
    BeforeAll {
        # Checked at the end of the file, so the Describe before this one used up the window: a run still going would
        # poll every 0.2 s or wait its own 1 s retry delay; Retry-After is 0.1 s at this scale.
        $script:Later = Wait-SimulatorQuiet $script:Sim5 -QuietSeconds 3 -Since $script:Returned5
    }

    AfterAll { Stop-TestSimulator $script:Sim5 }

    It 'sends nothing more once the cmdlet has returned' {
        $script:Later.requests | Should -Be $script:AtReturn.requests -Because "the command had returned after $($script:AtReturn.requests) requests"
        $script:Later.licenseWrites | Should -Be $script:AtReturn.licenseWrites
    }
}
