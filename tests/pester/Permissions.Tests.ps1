# Permissions through the built module: Test-E4UpgradeEligibility reads the connected token's roles (app) or scp
# (delegated) and names every missing permission as a MissingPermission blocker before any change; Start-E4Upgrade
# refuses to start on them; a token without the SKU read fails at Connect-E4Upgrade with PermissionMissing.
# The tokens are unsigned JWTs: the simulator, like Graph, judges each call by the claims.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force

    function ConvertTo-Base64Url([string] $Json) {
        [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Json)).TrimEnd('=').Replace('+', '-').Replace('/', '_')
    }

    # An app token (roles) or a delegated token (scp) for the simulator's tenant.
    function New-ClaimsToken([string[]] $Roles, [string[]] $Scopes) {
        $claims = [ordered]@{ tid = 'contoso'; appid = 'e4upgrade-pester' }
        if ($PSBoundParameters.ContainsKey('Scopes')) { $claims.scp = $Scopes -join ' ' } else { $claims.roles = @($Roles) }
        (ConvertTo-Base64Url '{"alg":"none","typ":"JWT"}') + '.' + (ConvertTo-Base64Url ($claims | ConvertTo-Json -Compress)) + '.c2ln'
    }

    $script:AllRoles = @('LicenseAssignment.ReadWrite.All', 'User.Read.All', 'User.ReadWrite.All', 'Organization.Read.All', 'Group.Read.All')

    function Get-MissingPermission($report) { @($report.Findings | Where-Object Code -eq 'MissingPermission') }
}

Describe 'Permissions checked from the token before any change' {
    BeforeAll {
        $script:Tokens = @{
            All          = New-ClaimsToken -Roles $script:AllRoles
            NoUserRead   = New-ClaimsToken -Roles ($script:AllRoles | Where-Object { $_ -notin 'User.Read.All', 'User.ReadWrite.All' })
            NoGroupRead  = New-ClaimsToken -Roles ($script:AllRoles | Where-Object { $_ -ne 'Group.Read.All' })
            NoUserWrite  = New-ClaimsToken -Roles ($script:AllRoles | Where-Object { $_ -notin 'LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All' })
            NoGroupWrite = New-ClaimsToken -Roles ($script:AllRoles | Where-Object { $_ -ne 'LicenseAssignment.ReadWrite.All' })
            NoPatch      = New-ClaimsToken -Roles ($script:AllRoles | Where-Object { $_ -ne 'User.ReadWrite.All' })
            NoSkuRead    = New-ClaimsToken -Roles ($script:AllRoles | Where-Object { $_ -ne 'Organization.Read.All' })
            Delegated    = New-ClaimsToken -Scopes @('openid', 'LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All', 'Organization.Read.All', 'Group.Read.All')
        }
        $extra = @($script:Tokens.Values | ForEach-Object { '--token', $_ })
        $script:Sim = Start-TestSimulator -Arguments (@('--users', '60') + $extra)
        $script:Journal = Join-Path ([IO.Path]::GetTempPath()) ("e4-permissions-" + [guid]::NewGuid().ToString('n') + '.jsonl')
    }

    AfterAll {
        Disconnect-E4Upgrade -ErrorAction SilentlyContinue
        Stop-TestSimulator $script:Sim
        Remove-Item $script:Journal -ErrorAction SilentlyContinue
    }

    It 'a token with the README permissions gets no permission finding' {
        Connect-E4Upgrade -AccessToken (New-SecureToken $script:Tokens.All) -GraphEndpoint $script:Sim.GraphUrl | Out-Null
        $report = Test-E4UpgradeEligibility -TargetSku SPE_E5 -UsageLocation US
        Get-MissingPermission $report | Should -BeNullOrEmpty
        @($report.Findings.Code) | Should -Not -Contain 'DelegatedRoleNotChecked'
    }

    It 'names <Permission> when the token lacks it (<Token>)' -ForEach @(
        @{ Token = 'NoUserRead'; Permission = 'User.Read.All (or User.ReadWrite.All, Directory.Read.All, Directory.ReadWrite.All)' }
        @{ Token = 'NoGroupRead'; Permission = 'GroupMember.Read.All (or Group.Read.All, Group.ReadWrite.All, Directory.Read.All)' }
        @{ Token = 'NoUserWrite'; Permission = 'LicenseAssignment.ReadWrite.All (or User.ReadWrite.All, Directory.ReadWrite.All) to assign and remove user licenses' }
        @{ Token = 'NoGroupWrite'; Permission = 'LicenseAssignment.ReadWrite.All (or Group.ReadWrite.All, Directory.ReadWrite.All) to change the licenses groups assign' }
        @{ Token = 'NoPatch'; Permission = 'User.ReadWrite.All (or Directory.ReadWrite.All) to set the usage location' }
    ) {
        $before = Get-SimulatorStats $script:Sim
        Connect-E4Upgrade -AccessToken (New-SecureToken $script:Tokens[$Token]) -GraphEndpoint $script:Sim.GraphUrl | Out-Null
        $report = Test-E4UpgradeEligibility -TargetSku SPE_E5 -UsageLocation US

        $report.IsEligible | Should -BeFalse
        $missing = @(Get-MissingPermission $report | Where-Object { $_.Message.Contains($Permission) })
        $missing.Count | Should -Be 1 -Because "one MissingPermission naming $Permission; got: $(@($report.Findings.Message) -join ' | ')"
        $missing[0].Severity | Should -Be 'Blocker'
        $after = Get-SimulatorStats $script:Sim
        $after.writes | Should -Be $before.writes
        $after.unauthorized | Should -Be $before.unauthorized
    }

    It 'Start-E4Upgrade refuses to start on a missing permission and writes nothing' {
        $before = Get-SimulatorStats $script:Sim
        Connect-E4Upgrade -AccessToken (New-SecureToken $script:Tokens.NoGroupWrite) -GraphEndpoint $script:Sim.GraphUrl | Out-Null
        $caught = Get-CaughtError { Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath $script:Journal -Confirm:$false -WarningAction SilentlyContinue }

        $caught.FullyQualifiedErrorId | Should -BeLike 'NotEligible,*'
        $caught.Exception.Message | Should -Match '\[MissingPermission\]'
        (Get-SimulatorStats $script:Sim).writes | Should -Be $before.writes
    }

    It 'a delegated token has its scopes checked and is told its directory role is not' {
        Connect-E4Upgrade -AccessToken (New-SecureToken $script:Tokens.Delegated) -GraphEndpoint $script:Sim.GraphUrl | Out-Null
        $report = Test-E4UpgradeEligibility -TargetSku SPE_E5 -UsageLocation US

        Get-MissingPermission $report | Should -BeNullOrEmpty
        $role = @($report.Findings | Where-Object Code -eq 'DelegatedRoleNotChecked')
        $role.Count | Should -Be 1
        $role[0].Severity | Should -Be 'Warning'
        $role[0].Message | Should -Match 'License Administrator'
    }

    It 'a token that cannot read the SKUs fails at Connect-E4Upgrade with PermissionMissing naming Organization.Read.All' {
        $caught = Get-CaughtError { Connect-E4Upgrade -AccessToken (New-SecureToken $script:Tokens.NoSkuRead) -GraphEndpoint $script:Sim.GraphUrl }

        $caught.FullyQualifiedErrorId | Should -BeLike 'PermissionMissing,*'
        $caught.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $caught.Exception.Message | Should -Match 'Organization\.Read\.All'
    }
}
