#requires -Version 7.2
<#
.SYNOPSIS
    The eligibility part of the benchmark's scale section: Test-E4UpgradeEligibility through the built module.
.DESCRIPTION
    Imports the module, connects with the token from E4UPGRADE_BENCH_TOKEN (so it never appears on a command line),
    then times Test-E4UpgradeEligibility alone with Measure-Command: pwsh start-up, module import and
    Connect-E4Upgrade are outside the measurement. Writes the cmdlet's wall time and the report's counts to the
    summary file. Started by the benchmark in a fresh pwsh.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $GraphEndpoint,
    [Parameter(Mandatory)] [string] $SummaryFile,
    [string] $TargetSku = 'SPE_E5'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

Import-Module $ModulePath
$token = ConvertTo-SecureString -String $env:E4UPGRADE_BENCH_TOKEN -AsPlainText -Force
$env:E4UPGRADE_BENCH_TOKEN = $null
Connect-E4Upgrade -AccessToken $token -GraphEndpoint $GraphEndpoint | Out-Null

# A holder object rather than a variable assignment, so the report survives whatever scope Measure-Command uses.
$holder = @{ Report = $null }
$elapsed = Measure-Command { $holder.Report = Test-E4UpgradeEligibility -TargetSku $TargetSku }
$report = $holder.Report
if ($null -eq $report) { throw 'Test-E4UpgradeEligibility returned no report.' }

$peakKb = 0L
if (Test-Path /proc/self/status) {
    $line = Select-String -Path /proc/self/status -Pattern '^VmHWM:\s+(\d+)' | Select-Object -First 1
    if ($line) { $peakKb = [long] $line.Matches[0].Groups[1].Value }
}

[ordered] @{
    seconds        = $elapsed.TotalSeconds
    totalE4Users   = $report.TotalE4Users
    directE4Users  = $report.DirectE4Users
    groupE4Users   = $report.GroupE4Users
    e4Groups       = $report.E4Groups
    isEligible     = $report.IsEligible
    blockerCount   = $report.BlockerCount
    warningCount   = $report.WarningCount
    findings       = @($report.Findings | ForEach-Object { "$($_.Severity) $($_.Code) ($($_.AffectedCount))" })
    peakMemoryKb   = $peakKb
} | ConvertTo-Json | Set-Content -Path $SummaryFile -Encoding utf8NoBOM
