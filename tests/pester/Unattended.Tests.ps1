# No common parameter may make an unattended run prompt: every cmdlet runs with -Debug and with -Verbose in a
# -NonInteractive pwsh (as a runbook does) against the simulator, and none of them tries to prompt. PowerShell gives a
# cmdlet called with -Debug a verbose preference of Inquire, so before the fix Start-E4Upgrade -Debug threw
# PSInvalidOperationException ("PowerShell is in NonInteractive mode").
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    $script:ModulePath = Get-TestModulePath

    # Runs every cmdlet with each switch in one fresh -NonInteractive pwsh, the simulator reset between the switches. For
    # each cmdlet it prints '<switch> RAN <name>' when it ran without an error, '<switch> PROMPTED <name>' when it tried
    # to prompt, '<switch> FAILED <name> <error id>' when it wrote or threw any other error, and
    # '<switch> DETAIL <name> <count>' for the verbose/debug records it wrote.
    function Invoke-EveryCmdlet($Simulator, [string[]] $Switches) {
        $script = @"
`$ErrorActionPreference = 'Continue'
Import-Module '$($script:ModulePath)'
function Try-Cmdlet([string] `$Name, [scriptblock] `$Command) {
    `$Error.Clear()
    try {
        `$records = @(& `$Command 4>&1 5>&1 2>`$null | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] -or `$_ -is [System.Management.Automation.DebugRecord] })
        if (`$Error.Count) { "`$Switch FAILED `$Name `$(`$Error[0].FullyQualifiedErrorId)" } else { "`$Switch RAN `$Name" }
        "`$Switch DETAIL `$Name `$(`$records.Count)"
    } catch [System.Management.Automation.PSInvalidOperationException] {
        "`$Switch PROMPTED `$Name `$(`$_.Exception.Message)"
    } catch {
        "`$Switch FAILED `$Name `$(`$_.FullyQualifiedErrorId)"
    }
}
`$token = ConvertTo-SecureString '$($Simulator.Token)' -AsPlainText -Force
foreach (`$Switch in '$($Switches -join "', '")') {
    Invoke-RestMethod -Method Post -Uri '$($Simulator.RootUrl)/_simulator/reset' | Out-Null
    `$common = @{ `$Switch = `$true }
    `$journal = Join-Path '$TestDrive' "unattended-`$Switch.jsonl"
    Try-Cmdlet Connect-E4Upgrade { Connect-E4Upgrade -AccessToken `$token -GraphEndpoint '$($Simulator.GraphUrl)' @common }
    Try-Cmdlet Get-E4Subscription { Get-E4Subscription -TargetSku SPE_E5 @common }
    Try-Cmdlet Test-E4UpgradeEligibility { Test-E4UpgradeEligibility -TargetSku SPE_E5 @common }
    Try-Cmdlet Move-UserLicense { '$($script:FirstUser)' | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -Confirm:`$false @common }
    Try-Cmdlet Start-E4Upgrade { Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath `$journal -PollInterval 00:00:00.200 -Confirm:`$false @common }
    Try-Cmdlet Get-E4UpgradeReport { Get-E4UpgradeReport -JournalPath `$journal -Summary @common }
    Try-Cmdlet Stop-E4Subscription { Stop-E4Subscription -TargetSku SPE_E5 -Confirm:`$false @common }
    Try-Cmdlet Disconnect-E4Upgrade { Disconnect-E4Upgrade -Confirm:`$false @common }
    Try-Cmdlet Disconnect-E4Upgrade-again { Disconnect-E4Upgrade -Confirm:`$false @common }
}
"@
        (Invoke-FreshPwsh -Script $script -TimeoutSeconds 300).Output
    }

    $script:Sim = Start-TestSimulator -Arguments @('--users', '30', '--seed', '12')
    $script:FirstUser = ((Get-SimulatorTenant $script:Sim).users | Where-Object usageLocation | Select-Object -First 1).userPrincipalName
    $script:AllLines = @(Invoke-EveryCmdlet $script:Sim 'Debug', 'Verbose')
}

AfterAll { Stop-TestSimulator $script:Sim }

Describe 'Every cmdlet with <Switch> in a non-interactive pwsh' -ForEach @(@{ Switch = 'Debug' }, @{ Switch = 'Verbose' }) {
    BeforeAll {
        $script:Lines = @($script:AllLines | Where-Object { $_ -like "$Switch *" } | ForEach-Object { $_.Substring($Switch.Length + 1) })
    }

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
