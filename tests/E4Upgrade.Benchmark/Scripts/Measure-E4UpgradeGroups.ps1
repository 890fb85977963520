#requires -Version 7.2
<#
.SYNOPSIS
    The benchmark's group section: Start-E4Upgrade on a tenant whose E4 comes only through groups, timed.
.DESCRIPTION
    Imports the module, connects with the token from E4UPGRADE_BENCH_TOKEN (so it never appears on a command line),
    then times Start-E4Upgrade alone with Measure-Command (pwsh start-up, module import and Connect-E4Upgrade are
    outside the measurement). -GroupSwapsInFlight 1 sends the next group's swap only once the previous group is
    verified (one at a time); the default sends them side by side. Writes the wall time and the summary's group counts
    to the summary file. Started by the benchmark in a fresh pwsh.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $GraphEndpoint,
    [Parameter(Mandatory)] [string] $SummaryFile,
    [Parameter(Mandatory)] [string] $JournalPath,
    [string] $TargetSku = 'SPE_E5',
    [int] $GroupSwapsInFlight = 0,
    [double] $PollIntervalSeconds = 0.2
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

Import-Module $ModulePath
$token = ConvertTo-SecureString -String $env:E4UPGRADE_BENCH_TOKEN -AsPlainText -Force
$env:E4UPGRADE_BENCH_TOKEN = $null
Connect-E4Upgrade -AccessToken $token -GraphEndpoint $GraphEndpoint | Out-Null

$parameters = @{
    TargetSku              = $TargetSku
    JournalPath            = $JournalPath
    PollInterval           = [TimeSpan]::FromSeconds($PollIntervalSeconds)
    GroupProcessingTimeout = [TimeSpan]::FromMinutes(10)
    Confirm                = $false
}
if ($GroupSwapsInFlight -gt 0) { $parameters.GroupSwapsInFlight = $GroupSwapsInFlight }

# A holder object rather than a variable assignment, so the summary survives whatever scope Measure-Command uses.
$holder = @{ Summary = $null }
$elapsed = Measure-Command { $holder.Summary = Start-E4Upgrade @parameters -WarningAction SilentlyContinue }
$summary = $holder.Summary
if ($null -eq $summary) { throw 'Start-E4Upgrade returned no summary.' }

[ordered] @{
    seconds           = $elapsed.TotalSeconds
    groups            = $summary.Groups
    groupsSwapped     = $summary.GroupsSwapped
    groupsFailed      = $summary.GroupsFailed
    groupsTimedOut    = $summary.GroupsTimedOut
    groupMembersMoved = $summary.GroupMembersMoved
    succeeded         = $summary.Succeeded
} | ConvertTo-Json | Set-Content -Path $SummaryFile -Encoding utf8NoBOM
