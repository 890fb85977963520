# Connect-E4Upgrade -ManagedIdentity the way an Azure Automation job signs in: IDENTITY_ENDPOINT and IDENTITY_HEADER
# point at the simulator's managed identity endpoint (tests/E4Upgrade.GraphSimulator/Hosting/ManagedIdentityEndpoint.cs),
# Azure.Identity fetches the token from it, Graph (the same simulator) accepts it until it expires. Every test runs with
# IDENTITY_ENDPOINT set, so Azure.Identity never asks the instance metadata address: no traffic leaves loopback.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'data/upgrade/UpgradeTenant.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:E4Id = '1392051d-0cb9-4b7a-88d5-621fee5e8711'
    $script:E5Id = '06ebc4ee-1bb5-47dd-8120-11324bc54e06'
    $script:Cmdlets = 'E4Upgrade.Cmdlets'
    $script:SystemAssigned = '5a5a0000-0000-4000-8000-00000000a5a5'
    $script:UserAssigned = [guid]::NewGuid().ToString()
    $script:Header = [guid]::NewGuid().ToString('n')
    $script:LifetimeSeconds = 2
    # Groups take 3 s to start processing, so the upgrade below outlives its 2-second tokens.
    $script:Sim = Start-TestSimulator -Arguments @('--users', '40', '--group-delay-ms', '3000',
        '--identity-header', $script:Header, '--identity-client-id', $script:UserAssigned, '--identity-token-lifetime', "$script:LifetimeSeconds",
        # The README's permissions for a run with -UsageLocation (it sets the usage location: User.ReadWrite.All).
        '--identity-roles', 'LicenseAssignment.ReadWrite.All,User.ReadWrite.All,Organization.Read.All,Group.Read.All')
    $script:Saved = @{ IDENTITY_ENDPOINT = $env:IDENTITY_ENDPOINT; IDENTITY_HEADER = $env:IDENTITY_HEADER }
    $env:IDENTITY_ENDPOINT = "$($script:Sim.RootUrl)/msi/token"
    $env:IDENTITY_HEADER = $script:Header

    function Get-IdentityStats { Invoke-RestMethod -Uri "$($script:Sim.RootUrl)/_simulator/identity" -TimeoutSec 30 }
}

AfterAll {
    Disconnect-E4Upgrade
    Stop-TestSimulator $script:Sim
    $env:IDENTITY_ENDPOINT = $script:Saved.IDENTITY_ENDPOINT
    $env:IDENTITY_HEADER = $script:Saved.IDENTITY_HEADER
}

Describe 'Connect-E4Upgrade -ManagedIdentity against an Automation-shaped identity endpoint' {
    BeforeEach {
        Disconnect-E4Upgrade
        $env:IDENTITY_HEADER = $script:Header
    }

    It 'system-assigned: the token comes from IDENTITY_ENDPOINT, names the tenant, and Graph accepts it' {
        $before = Get-IdentityStats

        $connection = Connect-E4Upgrade -ManagedIdentity -GraphEndpoint $script:Sim.GraphUrl
        $skus = @(Get-E4Subscription)

        $after = Get-IdentityStats
        $connection.AuthMethod | Should -Be 'ManagedIdentity'
        $connection.TenantId | Should -Be (Get-SimulatorTenant $script:Sim).subscribedSkus[0].accountId
        $after.issued | Should -BeGreaterThan $before.issued
        $after.refused | Should -Be $before.refused
        $after.lastClientId | Should -Be $script:SystemAssigned
        $skus.Count | Should -BeGreaterThan 0
    }

    It 'user-assigned: -ClientId asks for that identity''s token' {
        $connection = Connect-E4Upgrade -ManagedIdentity -ClientId $script:UserAssigned -GraphEndpoint $script:Sim.GraphUrl

        $connection.ClientId | Should -Be $script:UserAssigned
        (Get-IdentityStats).lastClientId | Should -Be $script:UserAssigned
        @(Get-E4Subscription).Count | Should -BeGreaterThan 0
    }

    It 'a client id the account does not have: ManagedIdentityRefused, naming the identity' {
        $unknown = [guid]::NewGuid().ToString()

        $err = Get-CaughtError { Connect-E4Upgrade -ManagedIdentity -ClientId $unknown -GraphEndpoint $script:Sim.GraphUrl }

        $err.FullyQualifiedErrorId | Should -Be "ManagedIdentityRefused,$($script:Cmdlets).ConnectE4UpgradeCommand"
        $err.Exception.Message | Should -BeLike "*client id $unknown*"
        $err.Exception.Message | Should -BeLike '*No user-assigned identity*'
    }

    It 'a wrong IDENTITY_HEADER: ManagedIdentityRefused, and no request reached Graph' {
        $graphBefore = (Get-SimulatorStats $script:Sim).requests
        $env:IDENTITY_HEADER = 'not-this-sandbox'

        $err = Get-CaughtError { Connect-E4Upgrade -ManagedIdentity -GraphEndpoint $script:Sim.GraphUrl }

        $err.FullyQualifiedErrorId | Should -Be "ManagedIdentityRefused,$($script:Cmdlets).ConnectE4UpgradeCommand"
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -BeLike '*X-IDENTITY-HEADER*'
        $err.Exception.Message | Should -BeLike "*$($env:IDENTITY_ENDPOINT)*"
        (Get-SimulatorStats $script:Sim).requests | Should -Be $graphBefore
        $err.Exception.Message | Should -Not -BeLike "*$($script:Header)*"
    }
}

Describe 'Start-E4Upgrade with a managed identity whose tokens live shorter than the run' {
    BeforeAll {
        Disconnect-E4Upgrade
        $env:IDENTITY_HEADER = $script:Header
        Connect-E4Upgrade -ManagedIdentity -GraphEndpoint $script:Sim.GraphUrl | Out-Null
        $script:IdentityBefore = Get-IdentityStats
        $script:StatsBefore = Get-SimulatorStats $script:Sim
        $script:Summary = Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath (Join-Path $TestDrive 'mi.jsonl') -PollInterval 00:00:00.200 -Confirm:$false -WarningAction SilentlyContinue
        $script:IdentityAfter = Get-IdentityStats
        $script:StatsAfter = Get-SimulatorStats $script:Sim
    }

    It 'the run lasted longer than one token' {
        $script:Summary.Duration.TotalSeconds | Should -BeGreaterThan $script:LifetimeSeconds
        $script:IdentityAfter.issued - $script:IdentityBefore.issued | Should -BeGreaterThan 1
    }

    It 'Graph refused no request: each one went with a token still valid' {
        $script:StatsAfter.unauthorized | Should -Be $script:StatsBefore.unauthorized
        $script:IdentityAfter.refused | Should -Be $script:IdentityBefore.refused
    }

    It 'the upgrade finished: every E4 user holds the target, nobody holds E4' {
        $script:Summary.Succeeded | Should -BeTrue
        $view = @(Get-UserLicenseView (Get-SimulatorTenant $script:Sim) -SourceSkuId $script:E4Id -TargetSkuId $script:E5Id)
        @($view | Where-Object HoldsSource).Count | Should -Be 0
        @($view | Where-Object HoldsTargetActive).Count | Should -Be $view.Count
    }
}
