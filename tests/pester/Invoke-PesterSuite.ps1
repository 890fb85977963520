#requires -Version 7.2
<#
.SYNOPSIS
    Runs the Pester suite against the built module in fresh pwsh processes and writes the counts as JSON.
.DESCRIPTION
    Most of the suite's time is spent waiting (a simulator's throttling window, a run killed and resumed, Entra's group
    processing), not computing, so the test files run side by side: -Workers pwsh processes each take the next file not
    yet taken (longest first, see $ExpectedSeconds) until none is left. Files share nothing but the built module and the
    simulator's binaries: every simulator listens on a port of its own and every file has its own TestDrive.
    The workers' output is printed as whole lines arrive (each file's result line names the file), then one line per
    file with its time, longest first.
    With -Workers 1 the files run one after another in a single fresh pwsh, as before.
#>
[CmdletBinding(DefaultParameterSetName = 'Suite')]
param(
    [Parameter(Mandatory, ParameterSetName = 'Suite')] [string] $PesterModule,
    [Parameter(Mandatory, ParameterSetName = 'Suite')] [string] $ModulePath,
    [Parameter(Mandatory, ParameterSetName = 'Suite')] [string] $SimulatorPath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [Parameter(ParameterSetName = 'Suite')] [string] $Filter = '*',
    # Only tests with one of these tags run; none: every test.
    [Parameter(ParameterSetName = 'Suite')] [string[]] $Tag = @(),
    # Tests with these tags are left out.
    [Parameter(ParameterSetName = 'Suite')] [string[]] $ExcludeTag = @(),
    [Parameter(ParameterSetName = 'Suite')] [int] $Workers = 3,
    # Internal: set when this script runs as one of the workers; the other settings are read from the queue.
    [Parameter(Mandatory, ParameterSetName = 'Worker')] [string] $QueueDirectory
)

$ErrorActionPreference = 'Stop'

# Seconds each file took in a clean-clone run of the whole suite (2-core machine, 2026-12-08 03:12 UTC, xunit running
# beside), only to start the longest first; a file not listed counts as the median. Refresh it from the table a run
# prints at its end.
# Runbook, Undo and BlobJournal came later: their figures are from single runs on a loaded machine.
$ExpectedSeconds = @{
    Runbook = 40; Undo = 30; BlobJournal = 12
    FaultSuite = 118; WritePath = 80; MoveUserLicense = 68; GroupPhase = 25; CtrlC = 21; UpgradeReport = 18
    Journal = 17; Unattended = 14; FaultSuiteToken = 13; HtmlReport = 11; StartE4Upgrade = 11; GraphJsClient = 10
    Eligibility = 8; StopE4Subscription = 8; Package = 8; TodaysTargets = 7; RunDeadline = 7; GroupSeats = 7
    ManagedIdentity = 6; Net8 = 5; BadInput = 4; TeamsUnbundling = 4; TenantFromOrganization = 4; Connect = 3
    JournalSafety = 3; Subscription = 3; AutomationPackage = 3; Isolation = 2; GraphEdges = 2; Help = 2; Module = 2
    Permissions = 1
}

function Get-OrderedTestFiles {
    $files = @(Get-ChildItem $PSScriptRoot -Filter "$Filter.Tests.ps1" | Sort-Object Name)
    $known = @($ExpectedSeconds.Values | Sort-Object)
    $median = if ($known.Count) { $known[[int][math]::Floor($known.Count / 2)] } else { 10 }
    $files | Sort-Object @{ Expression = { $name = $_.Name -replace '\.Tests\.ps1$'; if ($ExpectedSeconds.ContainsKey($name)) { $ExpectedSeconds[$name] } else { $median } }; Descending = $true }, Name
}

function Write-NewLines($Run) {
    # Prints the whole lines a worker has added to its output since the last call.
    foreach ($stream in 'out', 'err') {
        $path = "$($Run.Base).$stream"
        if (-not (Test-Path $path)) { continue }
        $file = [System.IO.File]::Open($path, 'Open', 'Read', 'ReadWrite')
        try {
            $null = $file.Seek($Run.Offsets[$stream], 'Begin')
            $buffer = [byte[]]::new($file.Length - $Run.Offsets[$stream])
            $read = $file.Read($buffer, 0, $buffer.Length)
        } finally { $file.Dispose() }
        if ($read -eq 0) { continue }
        $end = [Array]::LastIndexOf($buffer, [byte] 10, $read - 1)
        if ($end -lt 0) { continue }
        [System.Text.Encoding]::UTF8.GetString($buffer, 0, $end) -split "`r?`n" | Write-Host
        $Run.Offsets[$stream] += $end + 1
    }
}

function Get-CpuSeconds {
    # CPU time of this process and of the child processes it has waited for (simulators, fresh pwsh), from
    # /proc/self/stat on Linux; elsewhere this process only.
    if (Test-Path /proc/self/stat) {
        $fields = (Get-Content -Raw /proc/self/stat) -replace '^.*\) ' -split ' '
        # utime, stime, cutime, cstime are fields 14-17 of stat(5); the text after ") " starts at field 3.
        return ([long] $fields[11] + [long] $fields[12] + [long] $fields[13] + [long] $fields[14]) / 100
    }
    [System.Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalSeconds
}

function Invoke-Worker {
    # Takes files in the queue's order, one at a time: creating <name>.taken is atomic, so each file runs once.
    $settings = Get-Content -Raw (Join-Path $QueueDirectory 'settings.json') | ConvertFrom-Json
    Import-Module $settings.PesterModule -Force
    # The tests read these to find what to test.
    $env:E4UPGRADE_MODULE_PATH = $settings.ModulePath
    $env:E4UPGRADE_SIMULATOR_PATH = $settings.SimulatorPath
    $results = [System.Collections.Generic.List[object]]::new()
    foreach ($file in $settings.Files) {
        $claim = Join-Path $QueueDirectory ((Split-Path $file -Leaf) + '.taken')
        try { [System.IO.File]::Open($claim, 'CreateNew').Dispose() } catch [System.IO.IOException] { continue }
        $config = New-PesterConfiguration
        $config.Run.Path = @($file)
        $config.Run.PassThru = $true
        $config.Output.Verbosity = 'Normal'
        $config.Should.ErrorAction = 'Continue'
        if ($settings.Tag) { $config.Filter.Tag = @($settings.Tag) }
        if ($settings.ExcludeTag) { $config.Filter.ExcludeTag = @($settings.ExcludeTag) }
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $cpu = Get-CpuSeconds
        $result = Invoke-Pester -Configuration $config
        $results.Add([pscustomobject]@{
                File    = Split-Path $file -Leaf
                Seconds = [math]::Round($watch.Elapsed.TotalSeconds, 1)
                CpuSeconds = [math]::Round((Get-CpuSeconds) - $cpu, 1)
                Passed  = $result.PassedCount
                Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
            })
    }
    ConvertTo-Json -InputObject @($results) | Set-Content -Path $ResultPath -Encoding utf8NoBOM
}

if ($PSCmdlet.ParameterSetName -eq 'Worker') {
    Invoke-Worker
    exit 0
}

$files = @(Get-OrderedTestFiles)
if (-not $files.Count) { throw "No test file matches $Filter.Tests.ps1 in $PSScriptRoot." }
$queue = Join-Path ([System.IO.Path]::GetTempPath()) ('e4u-pester-' + [guid]::NewGuid().ToString('n'))
New-Item -ItemType Directory -Force $queue | Out-Null
try {
    $settings = [ordered]@{
        PesterModule = (Resolve-Path $PesterModule).Path; ModulePath = (Resolve-Path $ModulePath).Path; SimulatorPath = $SimulatorPath
        Files = @($files.FullName); Tag = @($Tag); ExcludeTag = @($ExcludeTag)
    }
    ConvertTo-Json -InputObject $settings | Set-Content -Path (Join-Path $queue 'settings.json') -Encoding utf8NoBOM
    # Dynamic PGO instruments methods for a process that runs long enough to use what it learns; the tests' processes
    # (workers, fresh pwsh, simulators) mostly do not, and start with about 8% less CPU without it (measured on this
    # machine: 2.45 s against 2.67 s for a fresh pwsh that imports the module and checks eligibility). Inherited by
    # every process the workers start.
    $env:DOTNET_TieredPGO = '0'
    $count = [math]::Max(1, [math]::Min($Workers, $files.Count))
    $runs = foreach ($n in 1..$count) {
        $base = Join-Path $queue "worker$n"
        # Start-Process joins its arguments with spaces: each path is quoted.
        $arguments = @("`"$(Join-Path $PSHOME 'pwsh.dll')`"", '-NoProfile', '-NonInteractive', '-File', "`"$PSCommandPath`"",
            '-ResultPath', "`"$base.json`"", '-QueueDirectory', "`"$queue`"")
        $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -RedirectStandardOutput "$base.out" -RedirectStandardError "$base.err"
        $null = $process.Handle # keeps ExitCode readable after the process ends
        [pscustomobject]@{ Number = $n; Process = $process; Base = $base; Offsets = @{ out = 0L; err = 0L } }
    }

    while (($running = @($runs | Where-Object { -not $_.Process.HasExited })).Count) {
        $runs | ForEach-Object { Write-NewLines $_ }
        # Wake when a worker ends, or after half a second to print the lines the workers wrote meanwhile.
        $null = $running[0].Process.WaitForExit(500)
    }
    $runs | ForEach-Object { Write-NewLines $_ }

    $done = [System.Collections.Generic.List[object]]::new()
    $failed = 0
    foreach ($run in $runs) {
        $run.Process.WaitForExit()
        if (Test-Path "$($run.Base).json") {
            foreach ($file in @(Get-Content -Raw "$($run.Base).json" | ConvertFrom-Json)) { $done.Add($file) }
        } else {
            # The worker ended without writing its counts (a crash, a test that killed its process): a failure.
            Write-Host "Pester worker $($run.Number) ended (exit code $($run.Process.ExitCode)) without reporting its results." -ForegroundColor Red
            $failed++
        }
    }
    $reported = @($done | ForEach-Object File)
    $notRun = @($settings.Files | Where-Object { (Split-Path $_ -Leaf) -notin $reported })
    foreach ($file in $notRun) { Write-Host "Not run: $file" -ForegroundColor Red; $failed++ }

    Write-Host '---- Pester files by time ----' -ForegroundColor Cyan
    $done | Sort-Object Seconds -Descending | ForEach-Object { Write-Host ('{0,7:0.0}s  {1,6:0.0} CPU s  {2,4} passed  {3,3} failed  {4}' -f $_.Seconds, $_.CpuSeconds, $_.Passed, $_.Failed, $_.File) }
} finally {
    Remove-Item -Recurse -Force $queue -ErrorAction Ignore
}

$counts = [pscustomobject]@{
    Passed = [int] ($done | Measure-Object Passed -Sum).Sum
    Failed = [int] ($done | Measure-Object Failed -Sum).Sum + $failed
}
$counts | ConvertTo-Json | Set-Content -Path $ResultPath -Encoding utf8NoBOM
if ($counts.Failed -gt 0) { exit 1 }
exit 0
