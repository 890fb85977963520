# Get-E4UpgradeReport on journals written by real Start-E4Upgrade runs against the Graph simulator: a finished run with
# a failed user, and a run killed mid-way then resumed. The report is read with no connection (the simulator is
# stopped first) and checked against the tenant's state and the run's own summary. Also: bad input and a cut-short journal.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'data/upgrade/UpgradeTenant.psm1') -Force
    $script:ModulePath = Get-TestModulePath
    Import-Module $script:ModulePath -Force
    $script:E4Id = '1392051d-0cb9-4b7a-88d5-621fee5e8711'
    $script:E5Id = '06ebc4ee-1bb5-47dd-8120-11324bc54e06'

    function Get-RunIds([string] $journal) {
        @(Get-Content $journal | ForEach-Object { $_ | ConvertFrom-Json } | Where-Object type -eq 'run' | ForEach-Object runId)
    }
}

Describe 'Get-E4UpgradeReport on a finished run with a failed user' {
    BeforeAll {
        $sim = Start-TestSimulator -Arguments @('--users', '100', '--group-delay-ms', '100', '--time-scale', '10')
        try {
            $script:Before = Get-SimulatorTenant $sim
            $view = @(Get-UserLicenseView $script:Before -SourceSkuId $script:E4Id -TargetSkuId $script:E5Id)
            $script:DirectIds = @($view | Where-Object DirectSource | ForEach-Object Id)
            $script:Memberships = ($script:Before.groups | ForEach-Object { @($_.members).Count } | Measure-Object -Sum).Sum
            $script:Journal = Join-Path $TestDrive 'finished.jsonl'
            Connect-E4Upgrade -AccessToken (New-SecureToken $sim.Token) -GraphEndpoint $sim.GraphUrl | Out-Null
            $script:RunSummary = Start-E4Upgrade -TargetSku SPE_E5 -AcceptFinding UsageLocationMissing -JournalPath $script:Journal -PollInterval 00:00:00.2 `
                -Confirm:$false -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
            $script:After = Get-SimulatorTenant $sim
        } finally {
            Disconnect-E4Upgrade -Confirm:$false
            Stop-TestSimulator $sim
        }
        # Offline from here: no session, no simulator.
        $script:Rows = @(Get-E4UpgradeReport -JournalPath $script:Journal -ErrorVariable reportErrors)
        $script:ReportErrors = @($reportErrors)
        $script:Summary = Get-E4UpgradeReport -JournalPath $script:Journal -Summary
    }

    It 'reads the journal offline, without an error' {
        $script:ReportErrors | Should -BeNullOrEmpty
        $script:Rows[0] | Should -BeOfType ([E4Upgrade.Output.UpgradeReportRecord])
    }

    It 'has one User row per direct user and per group membership, and one Group row per group' {
        $direct = @($script:Rows | Where-Object { $_.Kind -eq 'User' -and -not $_.GroupId })
        @($direct.UserId | Sort-Object) | Should -Be @($script:DirectIds | Sort-Object)
        @($script:Rows | Where-Object { $_.Kind -eq 'User' -and $_.GroupId }).Count | Should -Be $script:Memberships
        @($script:Rows | Where-Object Kind -eq 'Group' | ForEach-Object GroupId | Sort-Object) | Should -Be @($script:Before.groups.id | Sort-Object)
    }

    It 'agrees with the tenant: the user without a usage location Failed with its reason, every other user Moved' {
        $failed = @($script:Rows | Where-Object Status -ne 'Moved' | Where-Object Kind -eq 'User')
        $failed.Count | Should -Be 1
        $failed[0].UserPrincipalName | Should -Be 'user00007@contoso.onmicrosoft.com'
        $failed[0].Status | Should -Be 'Failed'
        $failed[0].Reason | Should -Be 'UsageLocationMissing'
        $user7 = $script:After.users | Where-Object userPrincipalName -eq 'user00007@contoso.onmicrosoft.com'
        $user7.assignedLicenses.skuId | Should -Contain $script:E4Id
        foreach ($row in $script:Rows | Where-Object { $_.Kind -eq 'User' -and -not $_.GroupId -and $_.Status -eq 'Moved' }) {
            $user = $script:After.users | Where-Object id -eq $row.UserId
            $user.assignedLicenses.skuId | Should -Contain $script:E5Id
            $user.assignedLicenses.skuId | Should -Not -Contain $script:E4Id
            $row.Attempts | Should -BeGreaterOrEqual 1
        }
        @($script:Rows | Where-Object Kind -eq 'Group' | Where-Object Status -ne 'Swapped') | Should -BeNullOrEmpty
    }

    It 'names from, to, the run and its id, and the disabled plans carried across' {
        $runIds = @(Get-RunIds $script:Journal)
        $runIds.Count | Should -Be 1
        $runIds[0] | Should -Match '^[0-9a-f]{32}$'
        foreach ($row in $script:Rows) {
            $row.From | Should -Be 'ENTERPRISEWITHSCAL'
            $row.To | Should -Be 'SPE_E5'
            $row.Run | Should -Be 1
            $row.RunId | Should -Be $runIds[0]
        }
        $script:RunSummary.RunId | Should -Be $runIds[0] -Because 'the run''s own summary names it'
        $withPlans = @($script:Rows | Where-Object { $_.Kind -eq 'User' -and -not $_.GroupId -and $_.DisabledPlansBefore })
        $withPlans.Count | Should -BeGreaterThan 0
        @($withPlans | Where-Object { -not $_.DisabledPlansAfter -and -not $_.DroppedPlans }) | Should -BeNullOrEmpty
    }

    It 'sums up as the run itself did' {
        $script:Summary | Should -BeOfType ([E4Upgrade.Output.UpgradeReportSummary])
        $script:Summary.Runs | Should -Be 1
        $script:Summary.Completed | Should -BeTrue
        $script:Summary.Moved | Should -Be ($script:RunSummary.Moved + $script:RunSummary.GroupMembersMoved)
        $script:Summary.Failed | Should -Be 1
        $script:Summary.Unconfirmed | Should -Be 0
        $script:Summary.GroupsSwapped | Should -Be $script:RunSummary.GroupsSwapped
        $script:Summary.ByReason | Should -Be 'User Failed UsageLocationMissing: 1'
        $script:Summary.ByStatus | Should -Match "User Moved: $($script:Summary.Moved)"
        $script:Summary.Started | Should -Be $script:RunSummary.Started
        $script:Summary.Ended | Should -BeGreaterThan $script:Summary.Started
        $script:Summary.UsersPerSecond | Should -BeGreaterThan 0
    }

    It 'takes the run''s summary from the pipeline' {
        @($script:RunSummary | Get-E4UpgradeReport).Count | Should -Be $script:Rows.Count
    }

    It 'pipes to Export-Csv as it is, one row per record' {
        $csv = Join-Path $TestDrive 'audit.csv'
        $script:Rows | Export-Csv $csv -NoTypeInformation
        $read = @(Import-Csv $csv)
        $read.Count | Should -Be $script:Rows.Count
        @($read | ForEach-Object { $_.PSObject.Properties.Value } | Where-Object { $_ -match '^System\.' }) | Should -BeNullOrEmpty
        ($read | Where-Object Reason -eq 'UsageLocationMissing').UserPrincipalName | Should -Be 'user00007@contoso.onmicrosoft.com'
    }

    It 'shows records as a table and the summary as a list' {
        $table = $script:Rows | Select-Object -First 3 | Out-String -Width 200
        $table | Should -Match 'Time\s+Kind\s+Name\s+Status\s+Reason\s+Attempts\s+Run\s+To'
        ($script:Summary | Out-String) | Should -Match 'ByReason\s+:\s+User Failed UsageLocationMissing: 1'
    }
}

Describe 'Get-E4UpgradeReport on a run killed mid-way and resumed, from the default journal' {
    BeforeAll {
        $script:DataHome = Join-Path $TestDrive 'data'
        # 250 users, 100 writes a second: the kill after 150 writes comes inside the direct phase.
        $sim = Start-TestSimulator -Arguments @('--users', '250', '--write-limit', '100/1', '--latency-ms', '100', '--group-delay-ms', '100', '--seed', '3')
        try {
            $script:Direct = @(Get-UserLicenseView (Get-SimulatorTenant $sim) -SourceSkuId $script:E4Id -TargetSkuId $script:E5Id | Where-Object DirectSource | ForEach-Object Id)
            # No -JournalPath: the journal goes to the default folder, under this test's data home.
            $script = "`$env:XDG_DATA_HOME = '$($script:DataHome)'`n" + (New-StartE4UpgradeScript -ModulePath $script:ModulePath -Simulator $sim -Token $sim.Token `
                    -Arguments '-TargetSku SPE_E5 -UsageLocation US -PollInterval 00:00:00.2')
            $run = Start-BackgroundPwsh -Script $script
            $script:AtKill = Wait-SimulatorWrites -Simulator $sim -AtLeast 150 -Process $run.Process
            Stop-Process -Id $run.Process.Id -Force
            $null = Wait-BackgroundPwsh $run
            $script:Journal = @(Get-ChildItem (Join-Path $script:DataHome 'E4Upgrade/journals') -Filter *.jsonl)[0].FullName
            $script:KilledCopy = Join-Path $TestDrive 'killed.jsonl'
            Copy-Item $script:Journal $script:KilledCopy

            $script:Resumed = Wait-BackgroundPwsh (Start-BackgroundPwsh -Script $script) -TimeoutSeconds 120
            $script:Writes = (Invoke-RestMethod "$($sim.RootUrl)/_simulator/license-writes").licenseWrites
        } finally {
            Stop-TestSimulator $sim
        }

        $env:XDG_DATA_HOME, $saved = $script:DataHome, $env:XDG_DATA_HOME
        try {
            $script:Rows = @(Get-E4UpgradeReport -TargetSku SPE_E5 -ErrorVariable reportErrors)
            $script:Summary = Get-E4UpgradeReport -TargetSku SPE_E5 -Summary
        } finally { $env:XDG_DATA_HOME = $saved }
        $script:ReportErrors = @($reportErrors)
        $script:KilledRows = @(Get-E4UpgradeReport -JournalPath $script:KilledCopy -ErrorAction SilentlyContinue)
        $script:KilledSummary = Get-E4UpgradeReport -JournalPath $script:KilledCopy -Summary -ErrorAction SilentlyContinue
    }

    It 'was killed inside the direct phase and the resumed run finished' {
        $script:AtKill | Should -Not -BeNullOrEmpty
        $script:Resumed.ExitCode | Should -Be 0 -Because ($script:Resumed.Output -join "`n")
    }

    It 'reported the killed journal as one unfinished run' {
        $script:KilledSummary.Runs | Should -Be 1
        $script:KilledSummary.Completed | Should -BeFalse
        $script:KilledSummary.Moved | Should -BeGreaterThan 0
        $script:KilledSummary.Moved | Should -BeLessThan $script:Direct.Count
        @($script:KilledRows | Where-Object Run -ne 1) | Should -BeNullOrEmpty
    }

    It 'finds the default journal by target and reads it without an error' {
        $script:ReportErrors | Should -BeNullOrEmpty
        $script:Journal | Should -BeLike '*-ENTERPRISEWITHSCAL-SPE_E5.jsonl'
    }

    It 'has every direct user once, finished, with the run that decided it' {
        $direct = @($script:Rows | Where-Object { $_.Kind -eq 'User' -and -not $_.GroupId })
        @($direct.UserId | Sort-Object) | Should -Be @($script:Direct | Sort-Object)
        @($direct | Where-Object Status -notin 'Moved', 'AlreadyMoved') | Should -BeNullOrEmpty
        $runIds = @(Get-RunIds $script:Journal)
        $runIds.Count | Should -Be 2
        @($direct | Where-Object Run -eq 1 | ForEach-Object RunId | Select-Object -Unique) | Should -Be $runIds[0]
        @($direct | Where-Object Run -eq 2 | ForEach-Object RunId | Select-Object -Unique) | Should -Be $runIds[1]
        @($direct | Where-Object Run -eq 1).Count | Should -Be @($script:KilledRows | Where-Object { $_.Kind -eq 'User' -and $_.Status -eq 'Moved' }).Count
    }

    It 'counts the write of the killed run for a user the resumed run found already moved' {
        $unconfirmedAtKill = @($script:KilledRows | Where-Object Status -eq 'Unconfirmed' | ForEach-Object UserId)
        foreach ($row in $script:Rows | Where-Object { $_.UserId -in $unconfirmedAtKill -and -not $_.GroupId }) {
            $row.Run | Should -Be 2
            $row.Status | Should -BeIn 'Moved', 'AlreadyMoved'
            $row.Attempts | Should -BeGreaterOrEqual 1
        }
        foreach ($row in $script:Rows | Where-Object { $_.Kind -eq 'User' -and -not $_.GroupId }) {
            $script:Writes.($row.UserId) | Should -Be 1 -Because "$($row.UserPrincipalName) was written once"
            $row.Attempts | Should -BeGreaterOrEqual 1 -Because "$($row.UserPrincipalName) was written"
        }
    }

    It 'sums up both runs' {
        $script:Summary.Runs | Should -Be 2
        $script:Summary.Completed | Should -BeTrue
        $script:Summary.Unconfirmed | Should -Be 0
        $script:Summary.Failed | Should -Be 0
        ($script:Summary.Moved + $script:Summary.AlreadyMoved) | Should -Be $script:Summary.Users
        $script:Summary.GroupsSwapped | Should -Be 3
        $script:Summary.ActiveTime | Should -BeLessThan ($script:Summary.Ended - $script:Summary.Started + [TimeSpan]::FromSeconds(1))
    }

    Context 'bad input' {
        It 'a path that does not exist: JournalNotFound' {
            $err = Get-CaughtError { Get-E4UpgradeReport -JournalPath (Join-Path $TestDrive 'missing.jsonl') -ErrorAction Stop }
            $err.FullyQualifiedErrorId | Should -Be 'JournalNotFound,E4Upgrade.Cmdlets.GetE4UpgradeReportCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'a file that is not a journal: NotAJournal' {
            $csv = Join-Path $TestDrive 'not-a-journal.csv'
            $script:Rows | Select-Object -First 2 | Export-Csv $csv -NoTypeInformation
            $err = Get-CaughtError { Get-E4UpgradeReport -JournalPath $csv -ErrorAction Stop }
            $err.FullyQualifiedErrorId | Should -Be 'NotAJournal,E4Upgrade.Cmdlets.GetE4UpgradeReportCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
            $err.Exception.Message | Should -Not -Match '\bat E4Upgrade\.'
        }

        It 'no default journal for a target: JournalNotFound' {
            $env:XDG_DATA_HOME, $saved = $script:DataHome, $env:XDG_DATA_HOME
            try { $err = Get-CaughtError { Get-E4UpgradeReport -TargetSku SPE_E3 -ErrorAction Stop } } finally { $env:XDG_DATA_HOME = $saved }
            $err.FullyQualifiedErrorId | Should -Be 'JournalNotFound,E4Upgrade.Cmdlets.GetE4UpgradeReportCommand'
        }

        It 'a journal cut short in its last line: every complete record, then JournalTruncated' {
            $cut = Join-Path $TestDrive 'cut.jsonl'
            $bytes = [System.IO.File]::ReadAllBytes($script:Journal)
            $lastLineStart = [Array]::LastIndexOf($bytes, [byte] 10, $bytes.Length - 2) + 1
            $keep = $lastLineStart + [int] (($bytes.Length - $lastLineStart) / 2)
            [System.IO.File]::WriteAllBytes($cut, $bytes[0..($keep - 1)])
            $rows = @(Get-E4UpgradeReport -JournalPath $cut -ErrorVariable cutErrors -ErrorAction SilentlyContinue)
            @($cutErrors.FullyQualifiedErrorId) | Should -Be @('JournalTruncated,E4Upgrade.Cmdlets.GetE4UpgradeReportCommand')
            # The cut line is the completion record: every user and group record is still there.
            $rows.Count | Should -Be $script:Rows.Count
            (Get-E4UpgradeReport -JournalPath $cut -Summary -ErrorAction SilentlyContinue).Completed | Should -BeFalse
        }
    }
}
