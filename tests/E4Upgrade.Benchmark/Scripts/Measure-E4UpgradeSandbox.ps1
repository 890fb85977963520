#requires -Version 7.2
<#
.SYNOPSIS
    The benchmark's sandbox section: one cmdlet (Start-E4Upgrade or Test-E4UpgradeEligibility) in this fresh pwsh, and
    the peak working set of the whole process afterwards, the figure an Azure Automation sandbox's memory limit applies to.
.DESCRIPTION
    Imports the module, connects with the token from E4UPGRADE_BENCH_TOKEN (never on a command line), runs the cmdlet
    as a runbook would (no prompt, output kept to the summary), then reads the process's high-water mark of resident
    memory (VmHWM in /proc/self/status, PeakWorkingSet64 elsewhere) and writes it with the run's counts to the summary file.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $GraphEndpoint,
    [Parameter(Mandatory)] [string] $SummaryFile,
    [Parameter(Mandatory)] [ValidateSet('Start-E4Upgrade', 'Test-E4UpgradeEligibility')] [string] $Cmdlet,
    [string] $JournalPath,
    [string] $TargetSku = 'SPE_E5'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

Import-Module $ModulePath
$token = ConvertTo-SecureString -String $env:E4UPGRADE_BENCH_TOKEN -AsPlainText -Force
$env:E4UPGRADE_BENCH_TOKEN = $null
Connect-E4Upgrade -AccessToken $token -GraphEndpoint $GraphEndpoint | Out-Null

$watch = [System.Diagnostics.Stopwatch]::StartNew()
$counts = if ($Cmdlet -eq 'Start-E4Upgrade') {
    $summary = Start-E4Upgrade -TargetSku $TargetSku -UsageLocation US -JournalPath $JournalPath -PollInterval 00:00:01 -Confirm:$false -ProgressAction SilentlyContinue
    [ordered] @{ state = $summary.State; users = $summary.Moved + $summary.AlreadyMoved + $summary.Skipped + $summary.Failed + $summary.GroupMembersMoved; moved = $summary.Moved; groupMembersMoved = $summary.GroupMembersMoved; failed = $summary.Failed }
} else {
    $report = Test-E4UpgradeEligibility -TargetSku $TargetSku -ProgressAction SilentlyContinue
    [ordered] @{ state = "IsEligible=$($report.IsEligible)"; users = $report.TotalE4Users; moved = 0; groupMembersMoved = 0; failed = 0 }
}
$watch.Stop()

$peakKb = 0L
if (Test-Path /proc/self/status) {
    $line = Select-String -Path /proc/self/status -Pattern '^VmHWM:\s+(\d+)' | Select-Object -First 1
    if ($line) { $peakKb = [long] $line.Matches[0].Groups[1].Value }
} else {
    $peakKb = [System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1KB
}

$counts.cmdlet = $Cmdlet
$counts.seconds = $watch.Elapsed.TotalSeconds
$counts.peakMemoryKb = $peakKb
$counts | ConvertTo-Json | Set-Content -Path $SummaryFile -Encoding utf8NoBOM
