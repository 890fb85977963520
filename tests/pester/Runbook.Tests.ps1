# The README's runbook, end to end (issue 21 item 6): the block under "runbook:" in README.md is the script run here,
# as it stands, in a fresh pwsh whose working folder, TEMP and data folder are a new temporary folder (a sandbox),
# signed in through the simulator's managed identity endpoint (IDENTITY_ENDPOINT always set: nothing leaves loopback),
# with its journal in Azurite. It is killed during the direct phase and again while a group swap is sent and not yet
# processed; each time its folder is deleted and it runs again in a new one, until it reports Completed. Then: one
# journal blob, every movable user on the target, nobody ever unlicensed, each direct user written once, and
# Get-E4UpgradeReport reads the blob to a complete record. As in Automation, the journal URL carries no SAS: the jobs
# reach it with the managed identity's token for storage (the simulator's identity endpoint issues it; Azurite runs
# over https with --oauth basic, which checks the token's audience, issuer and lifetime but not its signature, and a
# job trusts Azurite's certificate through SSL_CERT_FILE).
BeforeAll {
    $script:SavedCertFile = $env:SSL_CERT_FILE
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'data/upgrade/UpgradeTenant.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:E4Id = '1392051d-0cb9-4b7a-88d5-621fee5e8711'
    $script:E5Id = '06ebc4ee-1bb5-47dd-8120-11324bc54e06'

    function Get-ReadmeRunbook {
        # The first powershell block after the marker line: what an admin pastes into the Automation runbook.
        $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
        $after = $readme.Substring($readme.IndexOf('<!-- runbook: tests/pester/Runbook.Tests.ps1'))
        if ($after -notmatch '(?s)```powershell\r?\n(.*?)\r?\n\s*```') { throw 'README.md has no runbook block after its marker.' }
        # The block is indented as a list item's; PowerShell does not mind, the test keeps it byte for byte otherwise.
        $Matches[1]
    }

    function Start-RunbookJob([string] $Sandbox) {
        # What Automation gives a job: the module, IDENTITY_ENDPOINT/IDENTITY_HEADER, an empty sandbox. What the test
        # adds: the simulator as Graph and a short group poll, as default parameter values, so the runbook is unchanged.
        New-Item -ItemType Directory -Force $Sandbox | Out-Null
        Set-Content -Path (Join-Path $Sandbox 'runbook.ps1') -Value (Get-ReadmeRunbook) -Encoding utf8NoBOM
        Start-BackgroundPwsh -Script @"
`$env:TEMP = '$Sandbox'; `$env:TMPDIR = '$Sandbox'; `$env:XDG_DATA_HOME = '$Sandbox'; `$env:LOCALAPPDATA = '$Sandbox'
`$env:IDENTITY_ENDPOINT = '$($script:Sim.RootUrl)/msi/token'; `$env:IDENTITY_HEADER = '$script:Header'
Set-Location '$Sandbox'
Import-Module '$(Get-TestModulePath)'
`$PSDefaultParameterValues['Connect-E4Upgrade:GraphEndpoint'] = '$($script:Sim.GraphUrl)'
`$PSDefaultParameterValues['Start-E4Upgrade:PollInterval'] = [TimeSpan] '00:00:00.2'
`$out = & '$Sandbox/runbook.ps1' -JournalUrl '$script:JournalUrl'
'SUMMARY=' + (`$out | ConvertTo-Json -Compress)
"@
    }

    function Stop-SandboxJob($Run, [string] $Sandbox) {
        Stop-Process -Id $Run.Process.Id -Force -ErrorAction Ignore
        $ended = Wait-BackgroundPwsh $Run -TimeoutSeconds 30
        Remove-Item -Recurse -Force $Sandbox
        $ended
    }

    $script:Header = [guid]::NewGuid().ToString('n')
    # Groups take 4 s before Entra starts on them, so the second kill lands while a swap is sent and not processed.
    $script:Sim = Start-TestSimulator -Arguments @('--users', '60', '--group-delay-ms', '4000', '--latency-ms', '20',
        '--identity-header', $script:Header,
        '--identity-roles', 'LicenseAssignment.ReadWrite.All,User.ReadWrite.All,Organization.Read.All,Group.Read.All')
    $script:Azurite = Start-Azurite -Https
    # Inherited by every job (Start-BackgroundPwsh), and read by this process's first TLS connection (the report below).
    $env:SSL_CERT_FILE = $script:Azurite.CertificateFile
    $script:Container = New-AzuriteContainer $script:Azurite
    $script:JournalUrl = "$script:Container/e4upgrade.jsonl"
    $script:Before = @(Get-UserLicenseView (Get-SimulatorTenant $script:Sim) -SourceSkuId $script:E4Id -TargetSkuId $script:E5Id)
    $script:Direct = @($script:Before | Where-Object DirectSource | ForEach-Object Id)
    $script:Sandboxes = @()
    $root = Join-Path ([IO.Path]::GetTempPath()) ('e4u-runbook-' + [guid]::NewGuid().ToString('n'))

    # Job 1: killed in the direct phase, after some of the direct users' writes.
    $sandbox = "$root-1"; $script:Sandboxes += $sandbox
    $run = Start-RunbookJob $sandbox
    $script:KilledDirect = Wait-TestCondition { (Get-SimulatorStats $script:Sim).licenseWrites -ge 10 } -Process $run.Process -TimeoutSeconds 90
    $script:WritesAtFirstKill = (Get-SimulatorStats $script:Sim).licenseWrites
    $script:FirstJob = Stop-SandboxJob $run $sandbox

    # Job 2 (restarted while job 1's lease may still run): killed once a group swap is journaled as sent, before Entra
    # processed any member.
    $sandbox = "$root-2"; $script:Sandboxes += $sandbox
    $run = Start-RunbookJob $sandbox
    $script:KilledGroup = Wait-TestCondition { (Get-AzuriteBlobText "$script:Container/e4upgrade.jsonl") -match '"type":"groupSent"' } -Process $run.Process -TimeoutSeconds 120
    $script:MembersProcessedAtSecondKill = (Get-SimulatorStats $script:Sim).groupMembersProcessed
    $script:SecondJob = Stop-SandboxJob $run $sandbox

    # Jobs 3..: each in a new sandbox, until one reports Completed (each is bounded by the runbook's -MaxRunDuration).
    $script:Jobs = 0
    do {
        $script:Jobs++
        $sandbox = "$root-$($script:Jobs + 2)"; $script:Sandboxes += $sandbox
        $script:Last = Wait-BackgroundPwsh (Start-RunbookJob $sandbox) -TimeoutSeconds 150
        Remove-Item -Recurse -Force $sandbox
        $line = $script:Last.Output | Where-Object { $_ -like 'SUMMARY=*' } | Select-Object -Last 1
        $script:Summary = if ($line) { $line.Substring(8) | ConvertFrom-Json }
    } while ($script:Summary.State -eq 'Continues' -and $script:Jobs -lt 3)

    $script:After = @(Get-UserLicenseView (Get-SimulatorTenant $script:Sim) -SourceSkuId $script:E4Id -TargetSkuId $script:E5Id)
    $script:Stats = Get-SimulatorStats $script:Sim
    $script:WritesByUser = Get-SimulatorLicenseWritesByUser $script:Sim
}

AfterAll {
    Stop-TestSimulator $script:Sim
    Stop-Azurite $script:Azurite
    $env:SSL_CERT_FILE = $script:SavedCertFile
}

Describe 'The README runbook, killed twice and run again in new sandboxes' {
    It 'was killed in the direct phase, and again with a group swap sent and not processed' {
        $script:KilledDirect | Should -BeTrue -Because ($script:FirstJob.Output -join "`n")
        $script:WritesAtFirstKill | Should -BeLessThan $script:Direct.Count
        $script:FirstJob.Output -match '^SUMMARY=' | Should -BeNullOrEmpty
        $script:KilledGroup | Should -BeTrue -Because ($script:SecondJob.Output -join "`n")
        $script:MembersProcessedAtSecondKill | Should -Be 0
        $script:SecondJob.Output -match '^SUMMARY=' | Should -BeNullOrEmpty
    }

    It 'reaches the journal with the managed identity: its URL has no SAS, and storage accepts bearer tokens only over https' {
        $script:JournalUrl | Should -BeLike 'https://127.0.0.1:*/devstoreaccount1/*/e4upgrade.jsonl'
        $script:JournalUrl | Should -Not -Match '\?'
    }

    It 'reports Completed in a new sandbox, continuing the journal in blob storage' {
        $script:Last.ExitCode | Should -Be 0 -Because ($script:Last.Output -join "`n")
        $script:Summary.State | Should -Be 'Completed'
        $script:Summary.Failed | Should -Be 0
        $script:Summary.JournalPath | Should -Be "$script:Container/e4upgrade.jsonl"
        $script:Sandboxes | ForEach-Object { $_ | Should -Not -Exist }
    }

    It 'left one journal blob, and Get-E4UpgradeReport reads it to a complete record' {
        Get-AzuriteBlobs $script:Container | Should -Be @('e4upgrade.jsonl')
        # Read as an admin would from another job: the same identity, the same URL (a fresh pwsh trusts Azurite's certificate).
        $read = Invoke-FreshPwsh -Script @"
`$ErrorActionPreference = 'Stop'
`$env:IDENTITY_ENDPOINT = '$($script:Sim.RootUrl)/msi/token'; `$env:IDENTITY_HEADER = '$script:Header'
Import-Module '$(Get-TestModulePath)'
Connect-E4Upgrade -ManagedIdentity -GraphEndpoint '$($script:Sim.GraphUrl)' | Out-Null
'SUMMARY=' + (Get-E4UpgradeReport -JournalPath '$script:JournalUrl' -Summary | ConvertTo-Json -Compress)
'DIRECTDONE=' + @(Get-E4UpgradeReport -JournalPath '$script:JournalUrl' | Where-Object { `$_.UserId -in '$($script:Direct -join "','")' -and `$_.Status -in 'Moved', 'AlreadyMoved' }).Count
"@
        $read.ExitCode | Should -Be 0 -Because ($read.Output -join "`n")
        $report = ($read.Output | Where-Object { $_ -like 'SUMMARY=*' }).Substring(8) | ConvertFrom-Json

        $report.Completed | Should -BeTrue
        $report.Runs | Should -Be ($script:Jobs + 2)
        $report.Failed | Should -Be 0
        $report.Problems | Should -Be 0
        $report.GroupsSwapped | Should -Be $report.Groups
        [int] ($read.Output | Where-Object { $_ -like 'DIRECTDONE=*' }).Substring(11) | Should -Be $script:Direct.Count
    }

    It 'moved every movable user to the target, each direct user with one write, and never left anyone unlicensed' {
        @($script:After | Where-Object { -not $_.HoldsTargetActive } | ForEach-Object UserPrincipalName) | Should -BeNullOrEmpty
        @($script:After | Where-Object HoldsSource | ForEach-Object UserPrincipalName) | Should -BeNullOrEmpty
        @($script:WritesByUser.PSObject.Properties | Where-Object Value -ne 1 | ForEach-Object Name) | Should -BeNullOrEmpty
        $script:Stats.usersEverUnlicensed | Should -Be 0
    }
}
