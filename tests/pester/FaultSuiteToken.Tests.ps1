# The fault suite's second half (issue 6; the first is FaultSuite.Tests.ps1, split so the two run in parallel workers):
# a token revoked mid-run, then the run resumed with a new token. At the end every user holds the target and not E4,
# each direct user's license changed by exactly one successful write, and nobody was ever unlicensed.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'data/upgrade/UpgradeTenant.psm1') -Force
    $script:ModulePath = Get-TestModulePath
    $script:E4Id = '1392051d-0cb9-4b7a-88d5-621fee5e8711'
    $script:E5Id = '06ebc4ee-1bb5-47dd-8120-11324bc54e06'

    function Get-View($simulator) { @(Get-UserLicenseView (Get-SimulatorTenant $simulator) -SourceSkuId $script:E4Id -TargetSkuId $script:E5Id) }
}

Describe 'A token revoked mid-run, then the run resumed with a new token' {
    BeforeAll {
        $script:Sim2 = Start-TestSimulator -Arguments @('--users', '250', '--write-limit', '100/1', '--latency-ms', '100', '--group-delay-ms', '100', '--seed', '1357')
        $script:Direct2 = @(Get-View $script:Sim2 | Where-Object DirectSource | ForEach-Object Id)
        $journal = Join-Path $TestDrive 'token.jsonl'
        $arguments = "-TargetSku SPE_E5 -UsageLocation US -JournalPath '$journal' -PollInterval 00:00:00.2"

        $run = Start-BackgroundPwsh -Script (New-StartE4UpgradeScript -ModulePath $script:ModulePath -Simulator $script:Sim2 -Token $script:Sim2.Token -Arguments $arguments)
        $script:RevokeAt = 100
        $script:Reached = Wait-SimulatorWrites -Simulator $script:Sim2 -AtLeast $script:RevokeAt -Process $run.Process -TimeoutSeconds 90
        Invoke-SimulatorControl $script:Sim2 'tokens/revoke' @{ token = $script:Sim2.Token } | Out-Null
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $script:Stopped = Wait-BackgroundPwsh $run -TimeoutSeconds 60
        $script:SecondsToStop = $clock.Elapsed.TotalSeconds
        $script:StatsAtStop = Get-SimulatorStats $script:Sim2

        $newToken = 'renewed-' + [guid]::NewGuid().ToString('n')
        Invoke-SimulatorControl $script:Sim2 'tokens' @{ token = $newToken; readOnly = $false } | Out-Null
        $script:Resumed = Wait-BackgroundPwsh (Start-BackgroundPwsh -Script (New-StartE4UpgradeScript -ModulePath $script:ModulePath -Simulator $script:Sim2 -Token $newToken -Arguments $arguments)) -TimeoutSeconds 120
        $script:Summary2 = Get-RunSummary $script:Resumed.Output
        $script:Stats2 = Get-SimulatorStats $script:Sim2
        $script:WritesByUser2 = Get-SimulatorLicenseWritesByUser $script:Sim2
        $script:After2 = Get-View $script:Sim2
    }

    AfterAll { Stop-TestSimulator $script:Sim2 }

    It 'stops the run with TokenExpired and a non-zero exit code' {
        $script:Reached | Should -Not -BeNullOrEmpty -Because 'the token must be revoked while the run is still writing'
        $script:Stopped.ExitCode | Should -Not -Be 0
        $script:Stopped.Output | Where-Object { $_ -like 'SUMMARY=*' } | Should -BeNullOrEmpty
        ($script:Stopped.Output | Where-Object { $_ -like 'ERRORID=*' }) | Should -BeLike 'ERRORID=TokenExpired,*' -Because ($script:Stopped.Output -join "`n")
        $script:StatsAtStop.unauthorized | Should -BeGreaterThan 0
        $script:StatsAtStop.licenseWrites | Should -BeLessThan $script:Direct2.Count
    }

    It 'says clearly what happened and what to do, without a stack trace' {
        $message = ($script:Stopped.Output | Where-Object { $_ -like 'MESSAGE=*' }) -replace '^MESSAGE='
        $message | Should -Match 'token'
        $message | Should -Match 'connect again'
        ($script:Stopped.Output -join "`n") | Should -Not -Match '(?m)^\s+at [\w\.]+\.[\w<>]+\('
    }

    It 'stops promptly' {
        $script:SecondsToStop | Should -BeLessThan 30
    }

    It 'the run resumed with a new token completes without redoing anyone' {
        $script:Resumed.ExitCode | Should -Be 0 -Because ($script:Resumed.Output -join "`n")
        $script:Summary2.Resumed | Should -BeTrue
        $script:Summary2.Succeeded | Should -BeTrue
        $script:Summary2.DoneEarlier | Should -BeGreaterThan 0
        ($script:Summary2.DoneEarlier + $script:Summary2.Moved + $script:Summary2.AlreadyMoved) | Should -Be $script:Direct2.Count
        $script:Stats2.usersWithMultipleLicenseWrites | Should -Be 0
        $script:Stats2.licenseWrites | Should -Be $script:Direct2.Count
        @($script:WritesByUser2.PSObject.Properties | Where-Object Value -ne 1) | Should -BeNullOrEmpty
        $script:Stats2.usersEverUnlicensed | Should -Be 0
    }

    It 'leaves every user on the target and without E4' {
        @($script:After2 | Where-Object { -not $_.HoldsTargetActive -or $_.HoldsSource } | ForEach-Object UserPrincipalName) | Should -BeNullOrEmpty
    }
}
