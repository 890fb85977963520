#requires -Version 7.2
<#
.SYNOPSIS
    Runs the E4Upgrade benchmark (build.ps1 Bench): E4Upgrade vs the scripts admins write today, at Graph's write ceiling.
.DESCRIPTION
    Publishes tests/E4Upgrade.Benchmark to out/Benchmark and runs it. For each profile (realistic, then ideal for
    comparison) it starts the Graph simulator as a process with Graph's default write limits under a time scale, runs
    each strategy in its own fresh process on a fresh copy of the same tenant (E4Upgrade through the built module in a
    new pwsh; the Graph SDK per-user loop and sequential batch script as .NET processes), each within a time budget
    (a strategy still running at its budget gets a row "did not finish" with how far it got), then measures Move-UserLicense's peak memory streaming 10,000 vs 100,000 users,
    then the scale claims of issues 3 and 5 on a 100,000-user tenant: the simulator's start, a full paged listing of
    the E4 holders through the Graph SDK, and Test-E4UpgradeEligibility in a fresh pwsh; then the group table
    (issue 18 item 2): N licensing groups with the swaps side by side against one at a time.
    The realistic run is the simulator's --profile realistic plus refused writes charged, other apps' writes at 10% of
    the tenant-wide rate, 0.5% spurious 429s and the resource-unit quota; the ideal run has every realism knob off.
    Writes results.json (one row per profile and strategy), memory.json, scale.json and results.md to -OutputPath and prints
    whether each target is met. Exit code 0 unless the benchmark itself failed: it measures, it does not gate.
    See tests/E4Upgrade.Benchmark/performance.md.
.EXAMPLE
    dotnet pwsh ./build.ps1 Bench
.EXAMPLE
    dotnet pwsh tests/E4Upgrade.Benchmark/Invoke-Benchmark.ps1 -ModulePath out/E4Upgrade/E4Upgrade.psd1 -SimulatorPath out/GraphSimulator/E4Upgrade.GraphSimulator.dll -OutputPath out/bench -Users 5000 -MemoryLargeUsers 0
.EXAMPLE
    dotnet pwsh tests/E4Upgrade.Benchmark/Invoke-Benchmark.ps1 -ModulePath out/E4Upgrade/E4Upgrade.psd1 -SimulatorPath out/GraphSimulator/E4Upgrade.GraphSimulator.dll -OutputPath out/bench -Only Throughput -Profile realistic -Strategy E4Upgrade
.EXAMPLE
    dotnet pwsh tests/E4Upgrade.Benchmark/Invoke-Benchmark.ps1 -ModulePath out/E4Upgrade/E4Upgrade.psd1 -SimulatorPath out/GraphSimulator/E4Upgrade.GraphSimulator.dll -OutputPath out/bench -Only Scale
.EXAMPLE
    dotnet pwsh ./build.ps1 Bench -BenchOnly Groups
    The group table alone: 1, 4 and 8 licensing groups of 100 members, Start-E4Upgrade with the swaps side by side
    against one at a time (-GroupSwapsInFlight 1); writes out/bench/groups.json and results.md.
    dotnet pwsh tests/E4Upgrade.Benchmark/Invoke-Benchmark.ps1 -ModulePath out/E4Upgrade/E4Upgrade.psd1 -SimulatorPath out/GraphSimulator/E4Upgrade.GraphSimulator.dll -OutputPath out/bench -Only Sandbox
    Only the sandbox figure: the peak working set of a pwsh running Start-E4Upgrade, and one running
    Test-E4UpgradeEligibility, over 100,000 users, against 300 MB (an Azure Automation sandbox has 400 MB); out/bench/sandbox.json.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SimulatorPath,
    [Parameter(Mandatory)] [string] $OutputPath,
    # Users in the generated tenant for the throughput runs.
    [int] $Users = 20000,
    # Divides the simulator's limit windows and latencies: 10 turns Graph's 20 writes/s into 200.
    [double] $TimeScale = 10,
    # Typical write latency before scaling (the simulator adds +-50 % jitter; reads take a quarter).
    [double] $LatencyMs = 300,
    # Users the per-user loop runs on (0 = all); the batch script runs on all unless -BatchSample is set.
    [int] $LoopSample = 1000,
    [int] $BatchSample = 0,
    # Memory check: users streamed in the small and the large run (-MemoryLargeUsers 0 skips it).
    [int] $MemorySmallUsers = 10000,
    [int] $MemoryLargeUsers = 100000,
    # Users in the generated tenant of the scale section (-ScaleUsers 0 skips it).
    [int] $ScaleUsers = 100000,
    # Longest the memory and eligibility runs may take (throughput runs have budgets: twice their ideal time + 30 s).
    [int] $StrategyTimeoutSeconds = 600,
    # Throughput profiles, in the order run.
    [ValidateSet('realistic', 'ideal')]
    [string[]] $Profile = @('realistic', 'ideal'),
    # Realistic run only, to override the benchmark's defaults (BenchmarkOptions.cs): tokens a refused write still
    # takes (1), other apps' writes per Graph second (10% of the tenant-wide rate: 6), the share of calls answered 429
    # under every limit (0.005).
    [double] $RefusedWriteCost,
    [double] $BackgroundWrites,
    [double] $Spurious429Rate,
    # Run only these sections (quick local loops; -Only Groups alone takes about two minutes); the full benchmark runs all five.
    [ValidateSet('Throughput', 'Memory', 'Scale', 'Groups', 'Sandbox')]
    [string[]] $Only = @('Throughput', 'Memory', 'Scale', 'Groups', 'Sandbox'),
    # Users in the tenant of the sandbox section: peak working set of a pwsh running Start-E4Upgrade and one running
    # Test-E4UpgradeEligibility, against 300 MB (-SandboxUsers 0 skips it).
    [int] $SandboxUsers = 100000,
    # Run only these strategies (quick local loops); the full benchmark runs all three.
    [ValidateSet('E4Upgrade', 'SdkBatchSequential', 'PerUserLoop')]
    [string[]] $Strategy = @('E4Upgrade', 'SdkBatchSequential', 'PerUserLoop')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
foreach ($path in $ModulePath, $SimulatorPath) {
    if (-not (Test-Path $path)) { throw "$path does not exist: run build.ps1 Build first." }
}

$app = Join-Path $root 'out/Benchmark'
dotnet publish (Join-Path $root 'tests/E4Upgrade.Benchmark/E4Upgrade.Benchmark.csproj') -c Release -o $app --nologo -v quiet -clp:ErrorsOnly
if ($LASTEXITCODE -ne 0) { throw "dotnet publish (benchmark) failed (exit code $LASTEXITCODE)." }

$arguments = @(
    (Join-Path $app 'E4Upgrade.Benchmark.dll'), 'run'
    '--pwsh', (Join-Path $PSHOME 'pwsh.dll')
    '--module', (Resolve-Path $ModulePath).Path
    '--simulator', (Resolve-Path $SimulatorPath).Path
    '--output', [System.IO.Path]::GetFullPath($OutputPath, (Get-Location).Path)
    '--users', $Users
    '--time-scale', $TimeScale.ToString([cultureinfo]::InvariantCulture)
    '--profiles', ($Profile -join ',')
    '--latency-ms', $LatencyMs.ToString([cultureinfo]::InvariantCulture)
    '--loop-sample', $LoopSample
    '--batch-sample', $BatchSample
    '--memory-small', $MemorySmallUsers
    '--memory-large', $MemoryLargeUsers
    '--strategy-timeout', $StrategyTimeoutSeconds
    '--scale-users', $ScaleUsers
    '--sandbox-users', $SandboxUsers
    '--strategies', ($Strategy -join ',')
    '--sections', ($Only -join ',')
)
$overrides = @{ RefusedWriteCost = '--refused-write-cost'; BackgroundWrites = '--background-writes'; Spurious429Rate = '--spurious-429-rate' }
foreach ($name in $overrides.Keys) {
    if ($PSBoundParameters.ContainsKey($name)) {
        $arguments += $overrides[$name], ([double] $PSBoundParameters[$name]).ToString([cultureinfo]::InvariantCulture)
    }
}
dotnet @arguments
exit $LASTEXITCODE
