# Runs that must end before a time, through the built module against the simulator: Start-E4Upgrade -MaxRunDuration
# (an Azure Automation cloud job is stopped at 3 hours) stops cleanly and says the work continues, and an -AccessToken
# that expires before the run would end is warned about and stops the run with TokenExpired before any write goes with
# it. In both cases the same command afterwards finishes the upgrade from the journal.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'data/upgrade/UpgradeTenant.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:E4Id = '1392051d-0cb9-4b7a-88d5-621fee5e8711'
    $script:E5Id = '06ebc4ee-1bb5-47dd-8120-11324bc54e06'
    $script:Cmdlets = 'E4Upgrade.Cmdlets'

    function ConvertTo-Base64Url([string] $Text) {
        [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Text)).TrimEnd('=').Replace('+', '-').Replace('/', '_')
    }

    # An unsigned JWT: the simulator accepts it as an opaque bearer token, the module reads tid and exp from it.
    function New-TestJwt([DateTimeOffset] $ExpiresOn) {
        $claims = [ordered]@{ tid = $script:TenantId; appid = [guid]::NewGuid().ToString(); exp = $ExpiresOn.ToUnixTimeSeconds(); nonce = [guid]::NewGuid().ToString('n') }
        (ConvertTo-Base64Url '{"alg":"none","typ":"JWT"}') + '.' + (ConvertTo-Base64Url ($claims | ConvertTo-Json -Compress)) + '.' + (ConvertTo-Base64Url ([guid]::NewGuid().ToString()))
    }

    function Get-View { @(Get-UserLicenseView (Get-SimulatorTenant $script:Sim) -SourceSkuId $script:E4Id -TargetSkuId $script:E5Id) }

    function Assert-NobodyUnlicensed {
        $unlicensed = @(Get-View | Where-Object { -not $_.HoldsSource -and -not $_.HoldsTargetActive })
        $unlicensed.Count | Should -Be 0 -Because "nobody may hold neither license: $($unlicensed.Id -join ', ')"
    }

    function Assert-AllMovedOnce {
        $view = Get-View
        @($view | Where-Object HoldsSource).Count | Should -Be 0
        @($view | Where-Object HoldsTargetActive).Count | Should -Be $view.Count
        $writes = Get-SimulatorLicenseWritesByUser $script:Sim
        @($writes.PSObject.Properties | Where-Object Value -gt 1).Count | Should -Be 0 -Because 'no user is written twice across the two runs'
    }

    $script:TenantId = [guid]::NewGuid().ToString()
    # Accepted by the simulator from the start: a token about to expire (inside the run's 3-minute margin) and a fresh one.
    $script:ShortToken = New-TestJwt ([DateTimeOffset]::UtcNow.AddSeconds(150))
    $script:FreshToken = New-TestJwt ([DateTimeOffset]::UtcNow.AddHours(2))
    # Groups take 15 s before Entra starts on their members: a short run leaves a group processing. The tests move the
    # simulator's clock past that (Step-SimulatorClock, Start-SimulatorClockPump) instead of waiting.
    $script:Sim = Start-TestSimulator -Token $script:FreshToken -Arguments @('--users', '40', '--group-delay-ms', '15000', '--token', $script:ShortToken)
}

AfterAll {
    Disconnect-E4Upgrade
    Stop-TestSimulator $script:Sim
}

Describe 'Start-E4Upgrade -MaxRunDuration' {
    BeforeAll {
        Reset-Simulator $script:Sim
        Connect-E4Upgrade -AccessToken (New-SecureToken $script:FreshToken) -GraphEndpoint $script:Sim.GraphUrl | Out-Null
        $script:Journal = Join-Path $TestDrive 'limited.jsonl'
        $script:Started = [DateTimeOffset]::UtcNow
        $script:First = Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath $script:Journal -PollInterval 00:00:00.200 `
            -MaxRunDuration 00:00:04 -Confirm:$false -WarningVariable firstWarnings -WarningAction SilentlyContinue -ErrorVariable firstErrors
        $script:FirstWarnings = @($firstWarnings | ForEach-Object { "$_" })
        $script:FirstErrors = @($firstErrors)
        $script:Elapsed = [DateTimeOffset]::UtcNow - $script:Started
    }

    It 'stops before the group is processed and says the work continues, with no UpgradeIncomplete error' {
        $script:First.State | Should -Be 'Continues'
        $script:First.Continues | Should -BeTrue
        $script:First.Succeeded | Should -BeFalse
        $script:First.NextRunAfter | Should -Not -BeNullOrEmpty
        $script:FirstErrors.Count | Should -Be 0
        @($script:FirstWarnings | Where-Object { $_ -like '*-MaxRunDuration*work continues*' }).Count | Should -Be 1
        # The group's members were not waited for: Entra starts on them only 15 s after the swap.
        $script:Elapsed.TotalSeconds | Should -BeLessThan 14
    }

    It 'leaves nobody without a license' {
        Assert-NobodyUnlicensed
    }

    It 'the same command without the limit finishes from the journal: every user moved, each written once' {
        # Entra's 15 s start delay passes at once: the simulator's clock is moved, not waited for.
        Step-SimulatorClock $script:Sim -Seconds 15 | Out-Null
        $second = Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath $script:Journal -PollInterval 00:00:00.200 -Confirm:$false

        $second.State | Should -Be 'Completed'
        $second.Resumed | Should -BeTrue
        Assert-AllMovedOnce
    }
}

Describe 'Start-E4Upgrade with an -AccessToken that expires before the run would end' {
    BeforeAll {
        Reset-Simulator $script:Sim
        $script:Journal = Join-Path $TestDrive 'token.jsonl'
    }

    It 'warns at connect, again at the start, and stops with TokenExpired before any write goes with the token' {
        $connectWarnings = @(Connect-E4Upgrade -AccessToken (New-SecureToken $script:ShortToken) -GraphEndpoint $script:Sim.GraphUrl 3>&1 |
            Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object { "$_" })
        @($connectWarnings | Where-Object { $_ -like '*access token expires at*E4 users*TokenExpired*' }).Count | Should -Be 1

        $warnings = [System.Collections.Generic.List[string]]::new()
        $err = Get-CaughtError { Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath $script:Journal -Confirm:$false 3>&1 | ForEach-Object { $warnings.Add("$_") } }

        $err.FullyQualifiedErrorId | Should -Be "TokenExpired,$($script:Cmdlets).StartE4UpgradeCommand"
        $err.Exception.Message | Should -BeLike '*run the same command*'
        @($warnings | Where-Object { $_ -like '*access token expires at*before the estimated end*' }).Count | Should -Be 1
        (Get-SimulatorStats $script:Sim).writes | Should -Be 0
        Assert-NobodyUnlicensed
    }

    It 'connected again with a new token, the same command continues the journal and finishes' {
        Connect-E4Upgrade -AccessToken (New-SecureToken $script:FreshToken) -GraphEndpoint $script:Sim.GraphUrl | Out-Null

        # This run sends the swap and waits for Entra: the simulator's clock is moved on while it waits.
        $pump = Start-SimulatorClockPump $script:Sim
        try { $summary = Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath $script:Journal -PollInterval 00:00:00.200 -Confirm:$false }
        finally { Stop-SimulatorClockPump $pump }

        $summary.State | Should -Be 'Completed'
        $summary.Resumed | Should -BeTrue
        Assert-AllMovedOnce
    }
}
