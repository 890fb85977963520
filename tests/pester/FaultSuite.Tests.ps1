# The fault suite (issue 6): Start-E4Upgrade in a separate process under injected faults and throttling, killed at three
# points and resumed each time; the token half is FaultSuiteToken.Tests.ps1. At the end every
# user holds the target and not E4, each direct user's license changed by exactly one successful write, nothing was
# lost and nobody was ever unlicensed. The seeds are fixed, so a failure replays: the simulator's faults follow its
# --seed and the kill points follow $script:Seed; where in its work each killed process was still depends on timing.
# The engine's own scenarios under faults run in xunit (MoveEndToEndTests, UpgradeSimulatorTests); this file proves the
# process-level kills and the resume through the built module.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'data/upgrade/UpgradeTenant.psm1') -Force
    $script:ModulePath = Get-TestModulePath
    $script:E4Id = '1392051d-0cb9-4b7a-88d5-621fee5e8711'
    $script:E5Id = '06ebc4ee-1bb5-47dd-8120-11324bc54e06'

    function Get-View($simulator) { @(Get-UserLicenseView (Get-SimulatorTenant $simulator) -SourceSkuId $script:E4Id -TargetSkuId $script:E5Id) }
}

Describe 'Killed at three random points under faults and throttling, resumed each time' {
    BeforeAll {
        $script:Seed = 24680
        # 10% of calls fail (500/503/504/dropped, half of the 504s and drops after the write landed); writes are limited to
        # 40 a second with a bucket of only 20 (20/1 at 2x speed), below the engine's first rate (50 a second, batches of
        # 20, four in flight), so each run's first batches meet 429s however fast the machine is.
        $script:Sim = Start-TestSimulator -Arguments @('--users', '300', '--fault-rate', '0.1', '--write-limit', '20/1', '--time-scale', '2',
            '--latency-ms', '100', '--group-delay-ms', '500', '--seed', "$script:Seed")
        $script:Before = Get-View $script:Sim
        $script:Direct = @($script:Before | Where-Object DirectSource | ForEach-Object Id)
        $journal = Join-Path $TestDrive 'faults.jsonl'
        $script:Script = New-StartE4UpgradeScript -ModulePath $script:ModulePath -Simulator $script:Sim -Token $script:Sim.Token `
            -Arguments "-TargetSku SPE_E5 -UsageLocation US -JournalPath '$journal' -PollInterval 00:00:00.2"

        # Three kill points, each after a number of admitted writes drawn from the seed, all inside the direct phase (about
        # 280 of the 300 users hold E4 directly): one in each of 30-89, 110-169 and 190-249 writes.
        $null = Get-Random -SetSeed $script:Seed
        $script:KillPoints = @(0..2 | ForEach-Object { 30 + 80 * $_ + (Get-Random -Minimum 0 -Maximum 60) })
        $script:Kills = foreach ($point in $script:KillPoints) {
            $run = Start-BackgroundPwsh -Script $script:Script
            $reached = Wait-SimulatorWrites -Simulator $script:Sim -AtLeast $point -Process $run.Process -TimeoutSeconds 90
            Stop-Process -Id $run.Process.Id -Force -ErrorAction Ignore
            $ended = Wait-BackgroundPwsh $run -TimeoutSeconds 30
            [pscustomobject]@{ Point = $point; Reached = $null -ne $reached; ExitCode = $ended.ExitCode; Summary = Get-RunSummary $ended.Output; Output = $ended.Output }
        }
        # The killed processes are gone: once the requests they sent have been answered, nothing more arrives.
        $script:LicenseWritesAtLastKill = (Wait-SimulatorQuiet $script:Sim -QuietSeconds 0.5).licenseWrites

        $script:Final = Wait-BackgroundPwsh (Start-BackgroundPwsh -Script $script:Script) -TimeoutSeconds 150
        $script:Summary = Get-RunSummary $script:Final.Output
        $script:After = Get-View $script:Sim
        $script:Stats = Get-SimulatorStats $script:Sim
        $script:WritesByUser = Get-SimulatorLicenseWritesByUser $script:Sim
    }

    AfterAll { Stop-TestSimulator $script:Sim }

    It 'killed each run mid-way, before it finished' {
        foreach ($kill in $script:Kills) {
            $kill.Reached | Should -BeTrue -Because "run to be killed at $($kill.Point) writes (seed $script:Seed) must still be running then: $($kill.Output -join "`n")"
            $kill.Summary | Should -BeNullOrEmpty -Because "the run killed at $($kill.Point) writes must not have finished"
            $kill.ExitCode | Should -Not -Be 0
        }
        $script:LicenseWritesAtLastKill | Should -BeLessThan $script:Direct.Count
    }

    It 'ran under faults and throttling' {
        $script:Stats.faults | Should -BeGreaterThan 0
        $script:Stats.throttled | Should -BeGreaterThan 0
    }

    It 'the last run completes, resumed, with nothing failed or lost' {
        $script:Final.ExitCode | Should -Be 0 -Because ($script:Final.Output -join "`n")
        $script:Summary.Resumed | Should -BeTrue
        $script:Summary.Succeeded | Should -BeTrue
        $script:Summary.Failed | Should -Be 0
        $script:Summary.DoneEarlier | Should -BeGreaterThan 0
        ($script:Summary.DoneEarlier + $script:Summary.Moved + $script:Summary.AlreadyMoved) | Should -Be $script:Direct.Count
        $script:Summary.GroupsSwapped | Should -Be 3
    }

    It 'leaves every user on the target and without E4' {
        @($script:After | Where-Object { -not $_.HoldsTargetActive } | ForEach-Object UserPrincipalName) | Should -BeNullOrEmpty
        @($script:After | Where-Object HoldsSource | ForEach-Object UserPrincipalName) | Should -BeNullOrEmpty
        @($script:After | Where-Object { $_.Id -in $script:Direct -and -not $_.DirectTarget }) | Should -BeNullOrEmpty
    }

    It 'changed each direct user''s license with exactly one successful write, and no group member''s directly' {
        $script:Stats.usersWithMultipleLicenseWrites | Should -Be 0
        $script:Stats.licenseWrites | Should -Be $script:Direct.Count
        @($script:WritesByUser.PSObject.Properties.Name | Sort-Object) | Should -Be @($script:Direct | Sort-Object)
        @($script:WritesByUser.PSObject.Properties | Where-Object Value -ne 1) | Should -BeNullOrEmpty
    }

    It 'never left a user unlicensed' {
        $script:Stats.usersEverUnlicensed | Should -Be 0
        @($script:Stats.usersEverUnlicensedIds) | Should -BeNullOrEmpty
    }
}
