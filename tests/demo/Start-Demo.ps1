#requires -Version 7.2
<#
.SYNOPSIS
    The demo: the whole E4 upgrade against a simulated tenant, run as an admin would.
.DESCRIPTION
    Starts the Graph simulator with a generated tenant of a few thousand E4 users (with disabled plans,
    group-based licenses and users without a usage location) that has also bought today's targets: Microsoft 365 E5
    (no Teams) plus Microsoft Teams Enterprise, with some users holding an Audio Conferencing add-on. Runs
    Get-E4Subscription, Test-E4UpgradeEligibility (the suite alone, then with Teams), Start-E4Upgrade to the compound
    target removing the add-ons E5 includes, and Stop-E4Subscription, disconnects, reads the
    audit record of the run from its journal with Get-E4UpgradeReport (offline), writes its HTML report to
    out/demo/e4upgrade-report.html and prints that path, and stops the simulator.
    -Profile realistic runs it against Graph as it really behaves (the simulator's --profile realistic: INTUNE_O365
    PendingActivation on the target, the licensing rules, replication lag, group processing that takes its time, and
    on top of it refused writes charged, other apps' writes, spurious 429s and the resource-unit quota, as in the
    benchmark); -Profile ideal has every realism knob off.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SimulatorPath,
    [int] $Users = 3000,
    [string[]] $TargetSku = @('Microsoft_365_E5_(no_Teams)', 'Microsoft_Teams_Enterprise_New'),
    [ValidateSet('realistic', 'ideal')]
    [string] $Profile = 'realistic'
)

$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path
$SimulatorPath = (Resolve-Path $SimulatorPath).Path
Import-Module (Join-Path $PSScriptRoot '../pester/E4Upgrade.TestHelpers.psm1') -Force
$env:E4UPGRADE_SIMULATOR_PATH = $SimulatorPath

function Write-Step([string] $text) { Write-Host "`n=== $text" -ForegroundColor Cyan }

# Graph's real write limit (3,000 writes per 150 s) and a 250 ms write latency, run 20 times faster than real time
# so the demo takes about a minute rather than twenty.
# The generated tenant, plus the SKUs bought for today's upgrade (short form: the simulator fills in their plans) and an
# Audio Conferencing add-on on every tenth direct E4 user.
$tenant = Get-GeneratedTenant -Arguments @('--users', "$Users", '--seed', '7')
$tenant.subscribedSkus += @(
    [pscustomobject]@{ skuPartNumber = 'Microsoft_365_E5_(no_Teams)'; skuId = '18a4bd3f-0b5b-4887-b04f-61dd0ee15f5e'; seats = $Users }
    [pscustomobject]@{ skuPartNumber = 'Microsoft_Teams_Enterprise_New'; skuId = '3b1f2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d'; seats = $Users }
    [pscustomobject]@{ skuPartNumber = 'MCOMEETADV'; seats = [int] ($Users / 10) })
$e4 = '1392051d-0cb9-4b7a-88d5-621fee5e8711'
$direct = @($tenant.users | Where-Object { $_.assignedLicenses.skuId -contains $e4 -and $_.usageLocation })
for ($i = 0; $i -lt $direct.Count; $i += 10) {
    $direct[$i].assignedLicenses = @($direct[$i].assignedLicenses) + [pscustomobject]@{ skuId = '0c266dff-15dd-4b49-8397-2bb16070ed52'; disabledPlans = @() }
}
$tenantFile = Join-Path ([System.IO.Path]::GetTempPath()) ("e4upgrade-demo-" + [guid]::NewGuid().ToString('n') + '.json')
$tenant | ConvertTo-Json -Depth 20 | Set-Content -Path $tenantFile -Encoding utf8NoBOM
$simulatorArguments = @('--tenant', $tenantFile, '--time-scale', '20', '--latency-ms', '250', '--seed', '7', '--profile', $Profile)
if ($Profile -eq 'realistic') {
    # As the benchmark runs it: refused writes charged, other apps at 10% of the tenant-wide write rate (6 of 60/s),
    # 0.5% spurious 429s, reads metered in resource units.
    $simulatorArguments += @('--refused-write-cost', '1', '--background-writes', '6', '--spurious-429-rate', '0.005', '--resource-unit-limit', 'auto')
}
Write-Step "Starting the Graph simulator: $Users E4 users, Graph's write limits at 20x speed, $Profile profile"
$simulator = Start-TestSimulator -Arguments $simulatorArguments
$journal = Join-Path ([System.IO.Path]::GetTempPath()) ("e4upgrade-demo-" + [guid]::NewGuid().ToString('n') + '.jsonl')
try {
    Import-Module $ModulePath
    Write-Step "Connect-E4Upgrade -AccessToken ... -GraphEndpoint $($simulator.GraphUrl)"
    Connect-E4Upgrade -AccessToken (New-SecureToken $simulator.Token) -GraphEndpoint $simulator.GraphUrl | Format-Table | Out-Host

    Write-Step "Get-E4Subscription -TargetSku $($TargetSku -join ', ')"
    Get-E4Subscription -TargetSku $TargetSku | Format-Table | Out-Host

    Write-Step "Test-E4UpgradeEligibility -TargetSku '$($TargetSku[0])' (the suite alone)"
    $alone = Test-E4UpgradeEligibility -TargetSku $TargetSku[0]
    $alone.Findings | Where-Object Code -eq ServiceLoss | Format-List Severity, Code, Plans, Skus, AffectedCount, Message | Out-Host

    Write-Step "Test-E4UpgradeEligibility -TargetSku $($TargetSku -join ', ')"
    $report = Test-E4UpgradeEligibility -TargetSku $TargetSku
    $report | Out-Host
    $report.Findings | Format-Table | Out-Host

    # The engine's types live in the module's own load context, so they are told apart by type name.
    $byType = { param($items, $name) $items | Where-Object { $_.PSObject.TypeNames[0] -like "*.$name" } }

    Write-Step "Start-E4Upgrade -TargetSku $($TargetSku -join ', ') -UsageLocation US -RemoveRedundantAddOns -WhatIf (the plan; nothing changes)"
    $plan = Start-E4Upgrade -TargetSku $TargetSku -UsageLocation US -RemoveRedundantAddOns -JournalPath $journal -WhatIf -WarningAction SilentlyContinue
    Write-Host ('Expected duration: ' + ($plan | Where-Object { $_.PSObject.TypeNames[0] -like '*.UpgradeSummary' }).DurationEstimate)
    Write-Host 'Planned per-user outcomes:'
    & $byType $plan 'LicenseMoveResult' | Group-Object Status, Reason | Sort-Object Count -Descending | Format-Table Count, Name | Out-Host
    Write-Host 'Users whose disabled plans change (first 5):'
    & $byType $plan 'LicenseMoveResult' | Where-Object DroppedPlans | Select-Object -First 5 | Format-Table UserPrincipalName, DisabledPlansBefore, DisabledPlansAfter, DroppedPlans | Out-Host
    Write-Host 'Groups:'
    & $byType $plan 'GroupUpgradeResult' | Format-Table | Out-Host
    Write-Host ("Writes so far: {0} (the plan wrote nothing)" -f (Get-SimulatorStats $simulator).writes)

    Write-Step "Start-E4Upgrade -TargetSku $($TargetSku -join ', ') -UsageLocation US -RemoveRedundantAddOns -Confirm:`$false -PassThru"
    $results = Start-E4Upgrade -TargetSku $TargetSku -UsageLocation US -RemoveRedundantAddOns -JournalPath $journal -PollInterval 00:00:00.5 -Confirm:$false -PassThru
    Write-Host ('Audio Conferencing add-ons removed in the same call: {0}' -f @(& $byType $results 'LicenseMoveResult' | Where-Object RemovedAddOns).Count)
    Write-Host 'Per-user results by status:'
    & $byType $results 'LicenseMoveResult' | Group-Object Status | Sort-Object Count -Descending | Format-Table Count, Name | Out-Host
    Write-Host 'Groups:'
    & $byType $results 'GroupUpgradeResult' | Format-Table | Out-Host
    & $byType $results 'UpgradeSummary' | Out-Host

    Write-Step "Stop-E4Subscription -TargetSku $($TargetSku -join ', ')"
    Stop-E4Subscription -TargetSku $TargetSku -Confirm:$false | Out-Host

    Write-Step 'What the simulator saw'
    $stats = Get-SimulatorStats $simulator
    $stats | Format-List profile, requests, writes, throttled, writesThrottled, spuriousThrottled, resourceUnitThrottled, earlyRetries, readsStale, dependencyViolations, groupMembersProcessed, usersEverUnlicensed | Out-Host
    if ($stats.usersEverUnlicensed -ne 0) { throw "Some user was left without a license: $($stats.usersEverUnlicensed)" }
    if ($stats.earlyRetries -ne 0) { throw "Some call was retried before its Retry-After: $($stats.earlyRetries)" }
    Disconnect-E4Upgrade

    Write-Step 'Get-E4UpgradeReport -JournalPath <journal> (offline: the audit record of the run, from its journal)'
    Get-E4UpgradeReport -JournalPath $journal | Select-Object -First 5 | Out-Host
    Get-E4UpgradeReport -JournalPath $journal -Summary | Out-Host

    Write-Step 'Get-E4UpgradeReport -JournalPath <journal> -HtmlPath <report> (the report for the change board: one self-contained HTML file)'
    $reportFolder = Join-Path $PSScriptRoot '../../out/demo'
    New-Item -ItemType Directory -Force $reportFolder | Out-Null
    $html = Get-E4UpgradeReport -JournalPath $journal -HtmlPath (Join-Path $reportFolder 'e4upgrade-report.html')
    Write-Host "HTML report: $($html.FullName)" -ForegroundColor Green
}
finally {
    Stop-TestSimulator $simulator
    Remove-Item $journal, $tenantFile -ErrorAction Ignore
}
Write-Host "`nDemo complete." -ForegroundColor Green
