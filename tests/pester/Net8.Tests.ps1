# PowerShell 7.4 runs on .NET 8 (still the PowerShell 7 runtime of many Azure Automation accounts). No PowerShell 7.4
# package is served here, so this proves the part that breaks there: a self-contained .NET 8 host (out/Net8Host,
# tests/E4Upgrade.Net8Host) loads the built module as PowerShell does (E4Upgrade.dll into the default context, the
# engine through the module's load context) and runs a whole upgrade against the simulator. .NET 8 ships
# System.Text.Json 8.0, older than the 10.0 that Azure.Core in Dependencies/ asks for: before the load rule became
# version-aware, the engine's dependencies failed to bind there.
BeforeDiscovery {
    $script:CanRun = $IsLinux -and [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq 'X64'
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    $script:Host8 = if ($env:E4UPGRADE_NET8HOST_PATH) { $env:E4UPGRADE_NET8HOST_PATH } else { Join-Path $PSScriptRoot '../../out/Net8Host/E4Upgrade.Net8Host' }
    $script:ModuleFolder = Split-Path (Get-TestModulePath)
}

Describe 'The module under .NET 8 (the runtime of PowerShell 7.4)' -Skip:(-not $script:CanRun) {
    BeforeAll {
        $script:Sim = Start-TestSimulator -Arguments @('--users', '60', '--seed', '8')
        $journal = Join-Path $TestDrive 'net8.jsonl'
        $script:Output = & $script:Host8 $script:ModuleFolder $script:Sim.GraphUrl $script:Sim.Token $journal 2>&1 | ForEach-Object { "$_" }
        $script:ExitCode = $LASTEXITCODE
        $script:Values = @{}
        foreach ($line in $script:Output) { if ($line -match '^([\w.]+)=(.*)$') { $script:Values[$Matches[1]] = $Matches[2] } }
    }

    AfterAll { Stop-TestSimulator $script:Sim }

    It 'runs on .NET 8, whose System.Text.Json is older than the one the engine''s dependencies ask for' {
        $script:Values['runtime'] | Should -BeLike '8.0.*' -Because ($script:Output -join "`n")
        $script:Values['runtimeSystemTextJson'] | Should -BeLike '8.0.*'
    }

    It 'loads the engine in the module''s load context and binds System.Text.Json 10 from Dependencies/' {
        $script:Values['engineLoadContext'] | Should -Be 'E4Upgrade.Loader.ModuleLoadContext' -Because ($script:Output -join "`n")
        $script:Values['loaded.System.Text.Json'] | Should -Match '(^|,)10\.0\.0\.0@ModuleLoadContext'
        $script:Values['loaded.Azure.Core'] | Should -BeLike '*@ModuleLoadContext'
    }

    It 'moves every user and group against the simulator' {
        $script:ExitCode | Should -Be 0 -Because ($script:Output -join "`n")
        $script:Values['succeeded'] | Should -Be 'True'
        [int] $script:Values['moved'] | Should -BeGreaterThan 40
        $stats = Get-SimulatorStats $script:Sim
        $stats.usersEverUnlicensed | Should -Be 0
    }
}
