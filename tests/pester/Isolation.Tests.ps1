# Proves the module's AssemblyLoadContext: older Azure.Core and MSAL are loaded into the default context first
# (as Az.Accounts or ExchangeOnlineManagement would), then E4Upgrade imports and its engine still works.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    $script:Simulator = Start-TestSimulator -Arguments @('--users', '20')
    $packages = ((dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    $script:OldAzureCore = Join-Path $packages 'azure.core/1.16.0/lib/netstandard2.0/Azure.Core.dll'
    $script:OldMsal = Join-Path $packages 'microsoft.identity.client/4.21.1/lib/netcoreapp2.1/Microsoft.Identity.Client.dll'
}

AfterAll {
    Stop-TestSimulator $script:Simulator
}

Describe 'Assembly isolation on PowerShell 7' {
    It 'runs the engine beside older Azure.Core and MSAL already loaded in the session' {
        Test-Path $script:OldAzureCore | Should -BeTrue
        Test-Path $script:OldMsal | Should -BeTrue
        $result = Invoke-FreshPwsh -Script @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$($script:OldAzureCore)'
Add-Type -Path '$($script:OldMsal)'
Import-Module '$(Get-TestModulePath)'
Connect-E4Upgrade -AccessToken (ConvertTo-SecureString '$($script:Simulator.Token)' -AsPlainText -Force) -GraphEndpoint '$($script:Simulator.GraphUrl)' | Out-Null
`$e4 = @(Get-E4Subscription)
`$all = [AppDomain]::CurrentDomain.GetAssemblies()
`$engine = `$all | Where-Object { `$_.GetName().Name -eq 'E4Upgrade.Engine' }
`$engineContext = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$engine)
`$default = [System.Runtime.Loader.AssemblyLoadContext]::Default
`$cores = `$all | Where-Object { `$_.GetName().Name -eq 'Azure.Core' }
"E4SKUS=`$(`$e4.Count)"
"ENGINE_IN_DEFAULT=`$([object]::ReferenceEquals(`$engineContext, `$default))"
"AZURECORE=" + ((`$cores | ForEach-Object { "`$(`$_.GetName().Version)@`$([object]::ReferenceEquals([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_), `$default))" }) -join ',')
"@
        $text = $result.Output -join "`n"
        $result.ExitCode | Should -Be 0 -Because $text
        $text | Should -Match 'E4SKUS=1'
        $text | Should -Match 'ENGINE_IN_DEFAULT=False'
        # The old Azure.Core stays in the default context and the engine's own, newer one sits beside it.
        $text | Should -Match 'AZURECORE=.*1\.16\.0\.0@True'
        $text | Should -Match 'AZURECORE=.*@False'
    }
}
