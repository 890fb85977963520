# Ctrl-C: PowerShell.Stop() is what the console host calls on Ctrl-C; it runs the cmdlet's StopProcessing. A stopped
# Move-UserLicense or Start-E4Upgrade must stop writing when it returns, and Start-E4Upgrade run again must finish the
# job from its journal without writing any user twice.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    $script:ModulePath = Get-TestModulePath

    function Start-InRunspace([string] $Script) {
        $ps = [powershell]::Create()
        [void] $ps.AddScript($Script)
        [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
    }

    function Stop-LikeCtrlC($Run) {
        $Run.PowerShell.Stop()
        try { [void] $Run.PowerShell.EndInvoke($Run.Handle) } catch [System.Management.Automation.PipelineStoppedException] { }
    }

    function Wait-Writes($Simulator, [int] $AtLeast) {
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ([DateTime]::UtcNow -lt $deadline) {
            if ((Get-SimulatorStats $Simulator).writes -ge $AtLeast) { return }
            Start-Sleep -Milliseconds 50
        }
        throw "The run did not reach $AtLeast writes within 60 s."
    }

    function Get-ConnectScript($Simulator) {
        "Import-Module '$($script:ModulePath)'; Connect-E4Upgrade -AccessToken (ConvertTo-SecureString '$($Simulator.Token)' -AsPlainText -Force) -GraphEndpoint '$($Simulator.GraphUrl)' | Out-Null"
    }
}

Describe 'Ctrl-C during Move-UserLicense' {
    BeforeAll {
        # 40 writes a second after a burst of 100: the move of 500 users takes about 10 s, long enough to stop it inside.
        $script:Sim = Start-TestSimulator -Arguments @('--users', '500', '--write-limit', '100/2.5', '--latency-ms', '50', '--seed', '5')
        $upns = (Get-SimulatorTenant $script:Sim).users | Where-Object usageLocation | ForEach-Object userPrincipalName
        $list = Join-Path $TestDrive 'users.txt'
        Set-Content -Path $list -Value $upns
        $run = Start-InRunspace ((Get-ConnectScript $script:Sim) + "; Get-Content '$list' | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -ErrorAction SilentlyContinue")
        Wait-Writes $script:Sim 200
        $watch = [Diagnostics.Stopwatch]::StartNew()
        Stop-LikeCtrlC $run
        $script:StopSeconds = $watch.Elapsed.TotalSeconds
        $script:Returned = [Diagnostics.Stopwatch]::StartNew()
        $script:AtStop = Get-SimulatorStats $script:Sim
        $script:UserCount = @($upns).Count
        $run.PowerShell.Dispose()
    }

    It 'returns promptly' {
        $script:StopSeconds | Should -BeLessThan 30
    }

    It 'stopped before the end, with nobody unlicensed and nobody written twice' {
        $script:AtStop.licenseWrites | Should -BeLessThan $script:UserCount
        $script:AtStop.usersEverUnlicensed | Should -Be 0
        $script:AtStop.usersWithMultipleLicenseWrites | Should -Be 0
    }
}

Describe 'Ctrl-C during Start-E4Upgrade, then the same command again' {
    BeforeAll {
        $script:Sim2 = Start-TestSimulator -Arguments @('--users', '500', '--write-limit', '100/2.5', '--latency-ms', '50', '--group-delay-ms', '100', '--seed', '6')
        $journal = Join-Path $TestDrive 'ctrl-c.jsonl'
        $command = "Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath '$journal' -PollInterval 00:00:00.2 -Confirm:`$false -WarningAction SilentlyContinue"
        $run = Start-InRunspace ((Get-ConnectScript $script:Sim2) + "; $command")
        Wait-Writes $script:Sim2 250
        Stop-LikeCtrlC $run
        $run.PowerShell.Dispose()
        $script:WritesAtStop = (Get-SimulatorStats $script:Sim2).licenseWrites
        $script:JournalLines = @(Get-Content $journal)

        $again = [powershell]::Create()
        [void] $again.AddScript((Get-ConnectScript $script:Sim2) + "; $command")
        $script:Output = @($again.Invoke())
        $script:Errors = @($again.Streams.Error)
        $again.Dispose()
        $script:Summary = $script:Output | Where-Object { $_.PSObject.TypeNames[0] -like '*.UpgradeSummary' }
        $script:Stats2 = Get-SimulatorStats $script:Sim2
        $script:Tenant = Get-SimulatorTenant $script:Sim2
    }

    AfterAll { Stop-TestSimulator $script:Sim2 }

    It 'left a journal of what was done before the stop' {
        $script:WritesAtStop | Should -BeGreaterThan 0
        $script:JournalLines.Count | Should -BeGreaterThan $script:WritesAtStop
    }

    It 'resumes from the journal and finishes with every user on the target, each written once' {
        $script:Errors | Should -BeNullOrEmpty
        $script:Summary.Resumed | Should -BeTrue
        $script:Summary.Succeeded | Should -BeTrue
        $e4 = '1392051d-0cb9-4b7a-88d5-621fee5e8711'
        @($script:Tenant.users | Where-Object { $_.assignedLicenses.skuId -contains $e4 }) | Should -BeNullOrEmpty
        $script:Stats2.usersWithMultipleLicenseWrites | Should -Be 0
        $script:Stats2.usersEverUnlicensed | Should -Be 0
    }
}

Describe 'Move-UserLicense after Ctrl-C returned' {
    BeforeAll {
        # Checked at the end of the file, so the Describe before this one used up the window: a run still going would
        # wait at most a Retry-After of this quota (1 s) or its own 1 s retry delay between requests.
        $script:Stats = Wait-SimulatorQuiet $script:Sim -QuietSeconds 3 -Since $script:Returned
    }

    AfterAll { Stop-TestSimulator $script:Sim }

    It 'sent nothing after it returned' {
        $script:Stats.requests | Should -Be $script:AtStop.requests -Because 'a stopped run sends no request'
        $script:Stats.licenseWrites | Should -Be $script:AtStop.licenseWrites -Because 'no write may land after the cmdlet returned'
        $script:Stats.usersWithMultipleLicenseWrites | Should -Be 0
    }
}
