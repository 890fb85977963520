# No common parameter may make an unattended run prompt: every cmdlet runs with -Debug and with -Verbose in a
# -NonInteractive pwsh (as a runbook does) against the simulator, and none of them tries to prompt. PowerShell gives a
# cmdlet called with -Debug a verbose preference of Inquire, so before the fix Start-E4Upgrade -Debug threw
# PSInvalidOperationException ("PowerShell is in NonInteractive mode").
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    $script:ModulePath = Get-TestModulePath

    # Runs every cmdlet with the given switch in a fresh -NonInteractive pwsh; each prints 'RAN <name>' when it ran
    # without an error, 'PROMPTED <name>' when it tried to prompt, 'FAILED <name> <error id>' when it wrote or threw any
    # other error, and 'DETAIL <name> <count>' for the verbose/debug records it wrote.
    function Invoke-EveryCmdlet($Simulator, [string] $Switch) {
        $journal = Join-Path $TestDrive "unattended-$Switch.jsonl"
        $script = @"
`$ErrorActionPreference = 'Continue'
Import-Module '$($script:ModulePath)'
function Try-Cmdlet([string] `$Name, [scriptblock] `$Command) {
    `$Error.Clear()
    try {
        `$records = @(& `$Command 4>&1 5>&1 2>`$null | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] -or `$_ -is [System.Management.Automation.DebugRecord] })
        if (`$Error.Count) { "FAILED `$Name `$(`$Error[0].FullyQualifiedErrorId)" } else { "RAN `$Name" }
        "DETAIL `$Name `$(`$records.Count)"
    } catch [System.Management.Automation.PSInvalidOperationException] {
        "PROMPTED `$Name `$(`$_.Exception.Message)"
    } catch {
        "FAILED `$Name `$(`$_.FullyQualifiedErrorId)"
    }
}
`$token = ConvertTo-SecureString '$($Simulator.Token)' -AsPlainText -Force
Try-Cmdlet Connect-E4Upgrade { Connect-E4Upgrade -AccessToken `$token -GraphEndpoint '$($Simulator.GraphUrl)' -$Switch }
Try-Cmdlet Get-E4Subscription { Get-E4Subscription -TargetSku SPE_E5 -$Switch }
Try-Cmdlet Test-E4UpgradeEligibility { Test-E4UpgradeEligibility -TargetSku SPE_E5 -$Switch }
Try-Cmdlet Move-UserLicense { '$($script:FirstUser)' | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -Confirm:`$false -$Switch }
Try-Cmdlet Start-E4Upgrade { Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath '$journal' -PollInterval 00:00:00.200 -Confirm:`$false -$Switch }
Try-Cmdlet Get-E4UpgradeReport { Get-E4UpgradeReport -JournalPath '$journal' -Summary -$Switch }
Try-Cmdlet Stop-E4Subscription { Stop-E4Subscription -TargetSku SPE_E5 -Confirm:`$false -$Switch }
Try-Cmdlet Disconnect-E4Upgrade { Disconnect-E4Upgrade -Confirm:`$false -$Switch }
Try-Cmdlet Disconnect-E4Upgrade-again { Disconnect-E4Upgrade -Confirm:`$false -$Switch }
"@
        (Invoke-FreshPwsh -Script $script -TimeoutSeconds 300).Output
    }
}

Describe 'Every cmdlet with <Switch> in a non-interactive pwsh' -ForEach @(@{ Switch = 'Debug' }, @{ Switch = 'Verbose' }) {
    BeforeAll {
        $script:Sim = Start-TestSimulator -Arguments @('--users', '30', '--seed', '12')
        $script:FirstUser = ((Get-SimulatorTenant $script:Sim).users | Where-Object usageLocation | Select-Object -First 1).userPrincipalName
        $script:Lines = @(Invoke-EveryCmdlet $script:Sim $Switch)
    }

    AfterAll { Stop-TestSimulator $script:Sim }

    It 'runs every cmdlet without trying to prompt' {
        @($script:Lines | Where-Object { $_ -like 'PROMPTED *' }) | Should -BeNullOrEmpty
        foreach ($name in 'Connect-E4Upgrade', 'Get-E4Subscription', 'Test-E4UpgradeEligibility', 'Move-UserLicense', 'Start-E4Upgrade',
            'Get-E4UpgradeReport', 'Stop-E4Subscription', 'Disconnect-E4Upgrade', 'Disconnect-E4Upgrade-again') {
            $script:Lines | Should -Contain "RAN $name" -Because "$name must run without an error ($($script:Lines -join ' | '))"
        }
    }

    It 'still writes the detail the switch asks for' {
        foreach ($name in 'Start-E4Upgrade', 'Disconnect-E4Upgrade-again') {
            $line = $script:Lines | Where-Object { $_ -like "DETAIL $name *" }
            [int] ($line -split ' ')[-1] | Should -BeGreaterThan 0 -Because "$name should write its verbose text ($($script:Lines -join ' | '))"
        }
    }
}
