#requires -Version 7.2
<#
.SYNOPSIS
    Runs the Pester suite against the built module in this (fresh) pwsh and writes the counts as JSON.
#>
param(
    [Parameter(Mandatory)] [string] $PesterModule,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SimulatorPath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [string] $Filter = '*'
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterModule -Force

# The tests read these to find what to test.
$env:E4UPGRADE_MODULE_PATH = (Resolve-Path $ModulePath).Path
$env:E4UPGRADE_SIMULATOR_PATH = $SimulatorPath

$config = New-PesterConfiguration
$config.Run.Path = @(Get-ChildItem $PSScriptRoot -Filter "$Filter.Tests.ps1" | ForEach-Object FullName)
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$config.Should.ErrorAction = 'Continue'
$result = Invoke-Pester -Configuration $config

$counts = [pscustomobject]@{
    Passed = $result.PassedCount
    Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
}
$counts | ConvertTo-Json | Set-Content -Path $ResultPath -Encoding utf8NoBOM
if ($counts.Failed -gt 0) { exit 1 }
exit 0
