#requires -Version 7.2
<#
.SYNOPSIS
    The E4Upgrade strategy of the benchmark: Move-UserLicense through the built module, as an admin runs it.
.DESCRIPTION
    Streams the users file (one UPN a line) into Move-UserLicense, writes each result to the outcomes file as it
    arrives (results are counted, never collected), and ends with a summary: the move's own duration (Connect to
    last result), this process's peak memory (VmHWM) and the counts by Status. The token comes from
    E4UPGRADE_BENCH_TOKEN so it never appears on a command line. Started by the benchmark in a fresh pwsh.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $GraphEndpoint,
    [Parameter(Mandatory)] [string] $UsersFile,
    [Parameter(Mandatory)] [string] $OutcomesFile,
    [Parameter(Mandatory)] [string] $SummaryFile,
    [string] $FromSku = 'ENTERPRISEWITHSCAL',
    [string] $ToSku = 'SPE_E5',
    # Plan only (-WhatIf): reads and reports, writes nothing.
    [switch] $PlanOnly
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Get-PeakMemoryKb {
    if (Test-Path /proc/self/status) {
        $line = Select-String -Path /proc/self/status -Pattern '^VmHWM:\s+(\d+)' | Select-Object -First 1
        if ($line) { return [long] $line.Matches[0].Groups[1].Value }
    }
    return [long] ([System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1KB)
}

Import-Module $ModulePath
$token = ConvertTo-SecureString -String $env:E4UPGRADE_BENCH_TOKEN -AsPlainText -Force
$env:E4UPGRADE_BENCH_TOKEN = $null

$counts = @{ Moved = 0L; AlreadyMoved = 0L; Skipped = 0L; Failed = 0L }
$reported = 0L
$writer = [System.IO.StreamWriter]::new($OutcomesFile)
$watch = [System.Diagnostics.Stopwatch]::StartNew()
try {
    Connect-E4Upgrade -AccessToken $token -GraphEndpoint $GraphEndpoint | Out-Null
    # -ErrorAction Ignore: each failure is also a result with Status Failed and a Reason; Ignore keeps the error
    # records out of $Error so nothing accumulates.
    [System.IO.File]::ReadLines($UsersFile) |
        Move-UserLicense -FromSku $FromSku -ToSku $ToSku -WhatIf:$PlanOnly -ErrorAction Ignore |
        ForEach-Object {
            $reported++
            $status = [string] $_.Status
            if ($counts.ContainsKey($status)) { $counts[$status]++ }
            $writer.WriteLine("$($_.UserId)`t$($_.UserPrincipalName)`t$status`t$($_.Reason)")
        }
    $watch.Stop()
} finally {
    $writer.Dispose()
}

[ordered] @{
    seconds      = $watch.Elapsed.TotalSeconds
    peakMemoryKb = Get-PeakMemoryKb
    reported     = $reported
    moved        = $counts.Moved
    alreadyMoved = $counts.AlreadyMoved
    skipped      = $counts.Skipped
    failed       = $counts.Failed
} | ConvertTo-Json | Set-Content -Path $SummaryFile -Encoding utf8NoBOM
