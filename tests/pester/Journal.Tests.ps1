# The journal across processes and tenants: a second Start-E4Upgrade on a journal a running one holds fails at once with
# JournalInUse naming that process (two real pwsh processes, flock on Unix), and a journal written for one tenant (the
# tid claim of the session's token) is refused in another with JournalOtherTenant.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    $script:ModulePath = Get-TestModulePath
    Import-Module $script:ModulePath -Force

    # An unsigned JWT-shaped token carrying a tid claim: the simulator compares tokens as strings, the module reads tid.
    function New-TenantToken([string] $TenantId) {
        $encode = { param($text) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($text)).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
        $exp = [DateTimeOffset]::UtcNow.AddHours(1).ToUnixTimeSeconds()
        (& $encode '{"alg":"none","typ":"JWT"}') + '.' + (& $encode "{`"tid`":`"$TenantId`",`"exp`":$exp}") + '.sig'
    }
}

Describe 'Two runs on one journal' {
    BeforeAll {
        # 100 writes, then 8 per second: the first run (about 140 writes) is still writing for some 5 s after the burst
        # when the second starts, which fails at once.
        $script:Sim = Start-TestSimulator -Arguments @('--users', '150', '--write-limit', '100/12.5', '--seed', '3')
        $script:Journal = Join-Path $TestDrive 'shared.jsonl'
        $script:First = Start-BackgroundPwsh @"
Import-Module '$($script:ModulePath)'
Connect-E4Upgrade -AccessToken (ConvertTo-SecureString '$($script:Sim.Token)' -AsPlainText -Force) -GraphEndpoint '$($script:Sim.GraphUrl)' | Out-Null
Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath '$($script:Journal)' -PollInterval 00:00:00.2 -Confirm:`$false -WarningAction SilentlyContinue | Out-Null
"@
        $script:Started = Wait-SimulatorWrites -Simulator $script:Sim -AtLeast 20 -Process $script:First.Process -TimeoutSeconds 90
        Connect-E4Upgrade -AccessToken (New-SecureToken $script:Sim.Token) -GraphEndpoint $script:Sim.GraphUrl | Out-Null
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $script:Error2 = Get-CaughtError { Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath $script:Journal -Confirm:$false -WarningAction SilentlyContinue }
        $script:Seconds = $watch.Elapsed.TotalSeconds
        $script:FirstPid = $script:First.Process.Id
        $script:FirstResult = Wait-BackgroundPwsh $script:First -TimeoutSeconds 180
        $script:Lines = @(Get-Content $script:Journal)
    }

    AfterAll { Stop-TestSimulator $script:Sim }

    It 'the second run fails at once with JournalInUse, naming the process that holds the journal' {
        $script:Started | Should -Not -BeNullOrEmpty -Because 'the first run must be writing when the second starts'
        $script:Error2.FullyQualifiedErrorId | Should -BeLike 'JournalInUse,*'
        $script:Error2.CategoryInfo.Category | Should -Be 'ResourceBusy'
        $script:Seconds | Should -BeLessThan 30
        if ($IsLinux) { $script:Error2.Exception.Message | Should -BeLike "*process $($script:FirstPid) *" }
    }

    It 'the first run finishes with an intact journal: every line whole, one run record, nobody written twice' {
        $script:FirstResult.ExitCode | Should -Be 0 -Because ($script:FirstResult.Output -join "`n")
        $records = $script:Lines | ForEach-Object { $_ | ConvertFrom-Json }
        @($records | Where-Object type -EQ 'run').Count | Should -Be 1
        @($records | Where-Object type -EQ 'completed').Count | Should -Be 1
        (Get-SimulatorStats $script:Sim).usersWithMultipleLicenseWrites | Should -Be 0
    }
}

Describe 'A journal of another tenant' {
    BeforeAll {
        $script:Journal = Join-Path $TestDrive 'tenant.jsonl'
        $script:TenantA = '11111111-aaaa-4aaa-8aaa-111111111111'
        $script:SimA = Start-TestSimulator -Arguments @('--users', '20', '--seed', '4') -Token (New-TenantToken $script:TenantA)
        Connect-E4Upgrade -AccessToken (New-SecureToken $script:SimA.Token) -GraphEndpoint $script:SimA.GraphUrl | Out-Null
        Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath $script:Journal -PollInterval 00:00:00.2 -Confirm:$false -WarningAction SilentlyContinue | Out-Null
        $script:SimB = Start-TestSimulator -Arguments @('--users', '20', '--seed', '4') -Token (New-TenantToken '22222222-bbbb-4bbb-8bbb-222222222222')
        Connect-E4Upgrade -AccessToken (New-SecureToken $script:SimB.Token) -GraphEndpoint $script:SimB.GraphUrl | Out-Null
        $script:Refused = Get-CaughtError { Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath $script:Journal -Confirm:$false -WarningAction SilentlyContinue }
    }

    AfterAll { Stop-TestSimulator $script:SimA; Stop-TestSimulator $script:SimB }

    It 'records the tenant id from the token''s tid claim' {
        ((Get-Content $script:Journal -TotalCount 1) | ConvertFrom-Json).tenant | Should -Be $script:TenantA
    }

    It 'is refused in another tenant with JournalOtherTenant, before any write' {
        $script:Refused.FullyQualifiedErrorId | Should -BeLike 'JournalOtherTenant,*'
        $script:Refused.Exception.Message | Should -BeLike "*$($script:TenantA)*"
        (Get-SimulatorStats $script:SimB).writes | Should -Be 0
    }
}
