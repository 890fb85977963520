# -JournalPath pointed at something that is not a journal, through the built module (issue 18 items 3, 4, 12): a file
# that is not a journal is refused with NotAJournal and left byte-for-byte and mode-for-mode as it was; devices are
# refused; a path on another provider's drive or with a NUL gets InvalidJournalPath and nothing is written anywhere;
# a journal whose learnt rule would switch off Exchange stops the run with a finding to accept. One simulator.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force

    # An unsigned JWT-shaped token carrying a tid claim: the simulator compares tokens as strings, the module reads tid.
    function New-TenantToken([string] $TenantId) {
        $encode = { param($text) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($text)).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
        $exp = [DateTimeOffset]::UtcNow.AddHours(1).ToUnixTimeSeconds()
        (& $encode '{"alg":"none","typ":"JWT"}') + '.' + (& $encode "{`"tid`":`"$TenantId`",`"exp`":$exp}") + '.sig'
    }

    function Get-FileState([string] $Path) {
        [pscustomobject]@{
            Hash = (Get-FileHash -Path $Path -Algorithm SHA256).Hash
            Length = (Get-Item $Path).Length
            Mode = if ($IsWindows) { '' } else { [IO.File]::GetUnixFileMode($Path) }
        }
    }

    $script:TenantId = '5e4a1c2b-0d3f-4b6a-9c8e-7f1a2b3c4d5e'
    $script:Sim = Start-TestSimulator -Arguments @('--users', '12', '--seed', '7') -Token (New-TenantToken $script:TenantId)
    Connect-E4Upgrade -AccessToken (New-SecureToken $script:Sim.Token) -GraphEndpoint $script:Sim.GraphUrl | Out-Null
    $script:Skus = (Get-SimulatorTenant $script:Sim).subscribedSkus
}

AfterAll { Stop-TestSimulator $script:Sim }

Describe 'A file that is not a journal' {
    BeforeEach { Reset-Simulator $script:Sim }

    It 'is refused with NotAJournal by <Cmdlet> and left byte-for-byte and mode-for-mode unchanged: <Name>' -ForEach @(
        @{ Cmdlet = 'Start-E4Upgrade'; Name = 'JSON without a trailing newline'; Content = '{"name":"settings","value":1}' }
        @{ Cmdlet = 'Start-E4Upgrade'; Name = 'a JSON-lines log'; Content = "{`"type`":`"info`",`"msg`":`"a`"}`n{`"type`":`"info`",`"msg`":`"b`"}`n" }
        @{ Cmdlet = 'Start-E4Upgrade'; Name = 'a text file'; Content = "notes`n" }
        @{ Cmdlet = 'Get-E4UpgradeReport'; Name = 'JSON without a trailing newline'; Content = '{"name":"settings","value":1}' }
    ) {
        $path = Join-Path $TestDrive "other-$([guid]::NewGuid().ToString('n')).json"
        [IO.File]::WriteAllText($path, $Content)
        if (-not $IsWindows) { [IO.File]::SetUnixFileMode($path, [IO.UnixFileMode]'UserRead, UserWrite, GroupRead, OtherRead') }
        $before = Get-FileState $path

        $caught = if ($Cmdlet -eq 'Start-E4Upgrade') {
            Get-CaughtError { Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath $path -Confirm:$false -WarningAction SilentlyContinue }
        } else {
            Get-E4UpgradeReport -JournalPath $path -ErrorVariable e -ErrorAction SilentlyContinue | Out-Null; $e[0]
        }

        $caught.FullyQualifiedErrorId | Should -BeLike 'NotAJournal,*'
        (Get-FileState $path | ConvertTo-Json -Compress) | Should -Be ($before | ConvertTo-Json -Compress)
        (Get-SimulatorStats $script:Sim).writes | Should -Be 0
    }
}

Describe 'Devices and pipes' -Skip:$IsWindows {
    It 'Start-E4Upgrade refuses /dev/null with NotAJournal and leaves it a world-writable device' {
        $before = [IO.File]::GetUnixFileMode('/dev/null')
        try {
            $caught = Get-CaughtError { Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath /dev/null -Confirm:$false -WarningAction SilentlyContinue }
            $after = [IO.File]::GetUnixFileMode('/dev/null')
        } finally {
            # Should the check regress, a run as root narrows the machine's /dev/null: put it back before failing.
            if ([IO.File]::GetUnixFileMode('/dev/null') -ne $before) { [IO.File]::SetUnixFileMode('/dev/null', $before) }
        }

        $caught.FullyQualifiedErrorId | Should -BeLike 'NotAJournal,*'
        $after | Should -Be $before
        (Get-SimulatorStats $script:Sim).writes | Should -Be 0
    }

    It 'Get-E4UpgradeReport refuses /dev/zero at once with NotAJournal (no read of an endless device)' {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        Get-E4UpgradeReport -JournalPath /dev/zero -ErrorVariable e -ErrorAction SilentlyContinue | Out-Null

        $e[0].FullyQualifiedErrorId | Should -BeLike 'NotAJournal,*'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
    }
}

Describe 'Paths that are not file system paths' {
    BeforeEach { Reset-Simulator $script:Sim }

    It 'refuses <Path> with InvalidJournalPath and writes nothing in the working directory or the current location' -ForEach @(
        @{ Path = 'Variable:\x' }
        @{ Path = 'Env:\x' }
    ) {
        $work = Join-Path $TestDrive "work-$([guid]::NewGuid().ToString('n'))"
        $here = Join-Path $TestDrive "here-$([guid]::NewGuid().ToString('n'))"
        New-Item -ItemType Directory $work, $here | Out-Null
        $oldWork = [Environment]::CurrentDirectory
        Push-Location $here
        [Environment]::CurrentDirectory = $work
        try {
            $caught = Get-CaughtError { Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath $Path -Confirm:$false -WarningAction SilentlyContinue }
            Get-E4UpgradeReport -JournalPath $Path -ErrorVariable reportError -ErrorAction SilentlyContinue | Out-Null
        } finally {
            [Environment]::CurrentDirectory = $oldWork
            Pop-Location
        }

        $caught.FullyQualifiedErrorId | Should -BeLike 'InvalidJournalPath,*'
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $reportError[0].FullyQualifiedErrorId | Should -BeLike 'InvalidJournalPath,*'
        @(Get-ChildItem $work, $here -Force) | Should -BeNullOrEmpty
        (Get-SimulatorStats $script:Sim).writes | Should -Be 0
    }

    It 'refuses a path with a NUL with InvalidJournalPath, not an ArgumentException' {
        $path = Join-Path $TestDrive "a`0b.jsonl"

        $caught = Get-CaughtError { Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath $path -Confirm:$false -WarningAction SilentlyContinue }
        Get-E4UpgradeReport -JournalPath $path -ErrorVariable reportError -ErrorAction SilentlyContinue | Out-Null

        $caught.FullyQualifiedErrorId | Should -BeLike 'InvalidJournalPath,*'
        $reportError[0].FullyQualifiedErrorId | Should -BeLike 'InvalidJournalPath,*'
        Test-Path (Join-Path $TestDrive 'a') | Should -BeFalse
    }
}

Describe 'A journal with a learnt rule that would switch off Exchange' {
    BeforeAll {
        Reset-Simulator $script:Sim
        $e4 = $script:Skus | Where-Object skuPartNumber -EQ 'ENTERPRISEWITHSCAL'
        $e5 = $script:Skus | Where-Object skuPartNumber -EQ 'SPE_E5'
        $exchange = ($e5.servicePlans | Where-Object servicePlanName -EQ 'EXCHANGE_S_ENTERPRISE').servicePlanId
        $other = ($e5.servicePlans | Where-Object servicePlanName -NE 'EXCHANGE_S_ENTERPRISE' | Select-Object -First 1).servicePlanId
        $script:Journal = Join-Path $TestDrive 'crafted.jsonl'
        $run = [ordered]@{ type = 'run'; format = 'E4Upgrade.Journal'; at = '2026-12-01T00:00:00+00:00'; version = 1; tenant = $script:TenantId
            sourceSku = 'ENTERPRISEWITHSCAL'; sourceSkuId = $e4.skuId; targetSku = 'SPE_E5'; targetSkuId = $e5.skuId; optionsHash = 'x' }
        $rule = [ordered]@{ type = 'dependencyLearnt'; at = '2026-12-01T00:00:01+00:00'; plan = $exchange; requires = @($other); kind = 'AllOf' }
        Set-Content -Path $script:Journal -Value @(($run | ConvertTo-Json -Compress), ($rule | ConvertTo-Json -Compress))
        $script:Refused = Get-CaughtError { Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath $script:Journal -Confirm:$false -WarningAction SilentlyContinue }
        $script:Writes = (Get-SimulatorStats $script:Sim).writes
    }

    It 'stops the run before any write with the finding LearntRuleDisablesCoreService, naming Exchange' {
        $script:Refused.FullyQualifiedErrorId | Should -BeLike 'NotEligible,*'
        $script:Refused.Exception.Message | Should -BeLike '*LearntRuleDisablesCoreService*EXCHANGE_S_ENTERPRISE*'
        $script:Writes | Should -Be 0
    }
}
