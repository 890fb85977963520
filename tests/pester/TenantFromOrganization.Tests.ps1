# The journal's tenant when the token names none (issue 12, "Journals from different tenants collide"): a managed
# identity or device code without -TenantId leaves the tenant unknown unless the token's tid claim is read, and an opaque
# token (the simulator's) has no claims at all. The module then takes the tenant id from GET /organization (Graph v1.0
# organization resource: "id: The tenant ID"), so the default journal is named after the tenant and a journal of
# another tenant is refused with JournalOtherTenant.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force

    function Get-OrganizationId($simulator) { (Get-SimulatorTenant $simulator).subscribedSkus[0].accountId }
    function Connect-Opaque($simulator) {
        # The simulator's tokens are opaque strings: no tid claim to read.
        Connect-E4Upgrade -AccessToken (New-SecureToken $simulator.Token) -GraphEndpoint $simulator.GraphUrl | Out-Null
    }
}

Describe 'A token without tid: the journal belongs to the organization''s tenant' {
    BeforeAll {
        $script:SimA = Start-TestSimulator -Arguments @('--users', '10', '--seed', '31')
        $script:SimB = Start-TestSimulator -Arguments @('--users', '10', '--seed', '32')
        $script:TenantA = Get-OrganizationId $script:SimA
        $script:TenantB = Get-OrganizationId $script:SimB

        # The default journal folder is under the user's data folder (XDG_DATA_HOME on Linux): keep it in the test drive.
        $script:SavedDataHome = $env:XDG_DATA_HOME
        $env:XDG_DATA_HOME = Join-Path $TestDrive 'data'
        $script:Connection = Connect-E4Upgrade -AccessToken (New-SecureToken $script:SimA.Token) -GraphEndpoint $script:SimA.GraphUrl
        $script:Summary = Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -PollInterval 00:00:00.2 -Confirm:$false -WarningAction SilentlyContinue |
            Where-Object { $_.PSObject.TypeNames[0] -like '*.UpgradeSummary' }
        $script:Journals = @(Get-ChildItem (Join-Path $env:XDG_DATA_HOME 'E4Upgrade/journals') -Filter *.jsonl -ErrorAction Ignore)

        Connect-Opaque $script:SimB
        $script:Refused = try {
            Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath $script:Journals[0].FullName -Confirm:$false -WarningAction SilentlyContinue | Out-Null
        } catch { $_ }
    }

    AfterAll {
        $env:XDG_DATA_HOME = $script:SavedDataHome
        Stop-TestSimulator $script:SimA
        Stop-TestSimulator $script:SimB
    }

    It 'the two simulators are two tenants' {
        $script:TenantA | Should -Not -BeNullOrEmpty
        $script:TenantA | Should -Not -Be $script:TenantB
    }

    It 'shows that tenant id in Connect-E4Upgrade''s output' {
        $script:Connection.TenantId | Should -Be $script:TenantA
    }

    It 'names the default journal after the tenant id GET /organization gives' {
        $script:Summary.Succeeded | Should -BeTrue
        @($script:Journals.Name) | Should -Be @("$($script:TenantA)-ENTERPRISEWITHSCAL-SPE_E5.jsonl")
    }

    It 'records that tenant id in the journal' {
        ((Get-Content $script:Journals[0].FullName -TotalCount 1) | ConvertFrom-Json).tenant | Should -Be $script:TenantA
    }

    It 'refuses the journal in another tenant with JournalOtherTenant, naming its tenant, before any write' {
        $script:Refused | Should -Not -BeNullOrEmpty -Because 'the run in the other tenant must be refused'
        $script:Refused.FullyQualifiedErrorId | Should -BeLike 'JournalOtherTenant,*'
        $script:Refused.Exception.Message | Should -BeLike "*$($script:TenantA)*"
        (Get-SimulatorStats $script:SimB).writes | Should -Be 0
    }
}
