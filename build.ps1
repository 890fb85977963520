#requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests, demonstrates and benchmarks E4Upgrade.
.DESCRIPTION
    Plain tasks, no build-tool dependency. Run from the repository root:
      dotnet tool restore; dotnet pwsh ./build.ps1 Test
    Build  publishes the module to out/E4Upgrade/ and the Graph simulator to out/GraphSimulator/.
    Test   builds and packs, runs every xunit test (beside Pester, in the background; -Sequential: before Pester)
           and every Pester test (against the built module, in fresh pwsh processes side by side), then the few xunit
           tests that race real time (trait Category=RealTime) on their own, and ends with one line
           "N passed, N failed". Exit code 1 on any failure. The throughput tests run in Bench instead.
    Package  builds, then packs the module into out/E4Upgrade.<version>.nupkg with PSResourceGet (what a gallery takes)
             and into out/E4Upgrade.zip (what Azure Automation imports: the E4Upgrade folder at the zip's root).
    Demo   builds, starts the simulator with a generated tenant and runs the whole upgrade as an admin would.
    Bench  builds, runs the xunit throughput tests (trait Category=Throughput; they gate) and the benchmark; writes
           out/bench/results.json and out/bench/results.md.
    Clean  removes out/ and every bin/ and obj/.
    TestTools  installs what the tests need beyond .NET (headless Chromium for the HTML report's test; Azurite, the
               storage emulator, for the blob journal's tests, into out/tools/azurite); Test runs it first.
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Package', 'Demo', 'Bench', 'Clean', 'TestTools')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Passed to the Pester run: only test files whose name matches (a wildcard pattern, without .Tests.ps1) run.
    [string] $PesterFilter,

    # Bench only: run just this benchmark section (Invoke-Benchmark.ps1 -Only), e.g. Groups for the group table alone.
    [ValidateSet('Throughput', 'Memory', 'Scale', 'Groups', 'Sandbox')]
    [string] $BenchOnly,

    # Test: xunit runs alone before Pester, as it did before side by side became the default (kept for comparing).
    [switch] $Sequential,

    # Test: accepted for scripts written when side by side was not the default; it is now.
    [switch] $SideBySide
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'E4Upgrade'
$SimulatorOut = Join-Path $Out 'GraphSimulator'
$Net8HostOut = Join-Path $Out 'Net8Host'
$TestResults = Join-Path $Out 'test-results'

function Invoke-Native {
    param([string] $What, [scriptblock] $Command)
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)." }
}

function Get-BuildProperty([string] $Name) {
    [xml] $props = Get-Content -Raw (Join-Path $Root 'Directory.Build.props')
    $value = $props.Project.PropertyGroup | ForEach-Object { $_[$Name] } | Where-Object { $_ } | Select-Object -First 1
    if ($value) { return $value.InnerText.Trim() }
    return ''
}

function Get-ProductVersion {
    $version = Get-BuildProperty 'E4UpgradeVersion'
    if (-not $version) { throw 'E4UpgradeVersion is missing from Directory.Build.props.' }
    return $version
}

function Get-ReleaseNotes([string] $Version) {
    # The section "## [<version>] ..." of CHANGELOG.md, up to the next section.
    $text = Get-Content -Raw (Join-Path $Root 'CHANGELOG.md')
    $match = [regex]::Match($text, "(?ms)^## \[$([regex]::Escape($Version))\][^\n]*\n(.*?)(?=^## |\z)")
    if (-not $match.Success -or -not $match.Groups[1].Value.Trim()) { throw "CHANGELOG.md has no section for $Version." }
    return $match.Groups[1].Value.Trim()
}

function Set-ManifestValue([string] $Manifest, [string] $Key, [string] $Value) {
    # Replaces Key = '...' in the manifest text; an empty value leaves the key out.
    $pattern = "(?m)^(\s*)$Key(\s*)=\s*'[^']*'\r?\n"
    if (-not [regex]::IsMatch($Manifest, $pattern)) { throw "The manifest has no $Key = '...' line." }
    if (-not $Value) { return [regex]::Replace($Manifest, $pattern, '') }
    $quoted = "'" + ($Value -replace "'", "''") + "'"
    return [regex]::Replace($Manifest, $pattern, { param($m) "$($m.Groups[1].Value)$Key$($m.Groups[2].Value)= $quoted`n" })
}

function Get-NuGetPackageRoot {
    $line = dotnet nuget locals global-packages --list
    if ($LASTEXITCODE -ne 0) { throw 'Could not find the NuGet global packages folder.' }
    return ($line -replace '^global-packages:\s*', '').Trim()
}

function Get-PesterModulePath {
    [xml] $proj = Get-Content -Raw (Join-Path $Root 'tests/pester/tools/PesterDownload.csproj')
    $version = ($proj.Project.ItemGroup.PackageDownload | Where-Object Include -eq 'Pester').Version.Trim('[', ']')
    $path = Join-Path (Get-NuGetPackageRoot) "pester/$version/tools/Pester.psd1"
    # Restored once per machine: a package in the global packages folder is immutable, so it is not restored again.
    if (Test-Path $path) { return $path }
    Invoke-Native 'Restoring Pester' { dotnet restore (Join-Path $Root 'tests/pester/tools/PesterDownload.csproj') --verbosity quiet }
    if (-not (Test-Path $path)) { throw "Pester $version was restored but $path does not exist." }
    return $path
}

function Start-Publish([string] $What, [string] $Project, [string] $Output) {
    # Publishes what `dotnet build` of the solution already compiled (--no-build): no second compile. Returns at once;
    # Wait-Publish waits. The publishes run side by side.
    Remove-Item -Recurse -Force $Output -ErrorAction Ignore
    $log = Join-Path ([System.IO.Path]::GetTempPath()) ('e4u-publish-' + [guid]::NewGuid().ToString('n'))
    # Start-Process joins its arguments with spaces: each path is quoted.
    $arguments = @('publish', "`"$Project`"", '-c', $Configuration, '-o', "`"$Output`"", '--no-build', '--nologo', '-v', 'quiet', '-clp:ErrorsOnly')
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -NoNewWindow -RedirectStandardOutput "$log.out" -RedirectStandardError "$log.err"
    $null = $process.Handle # keeps ExitCode readable after the process ends
    [pscustomobject]@{ What = $What; Process = $process; Log = $log }
}

function Wait-Publish($Publish) {
    $Publish.Process.WaitForExit()
    $output = @(Get-Content "$($Publish.Log).out", "$($Publish.Log).err" -ErrorAction Ignore)
    Remove-Item "$($Publish.Log).out", "$($Publish.Log).err" -ErrorAction Ignore
    if ($Publish.Process.ExitCode -ne 0) {
        $output | Write-Host
        throw "dotnet publish ($($Publish.What)) failed (exit code $($Publish.Process.ExitCode))."
    }
}

function Invoke-Compile {
    $version = Get-ProductVersion
    Write-Host "Building E4Upgrade $version ($Configuration)" -ForegroundColor Cyan
    Invoke-Native 'dotnet build' { dotnet build (Join-Path $Root 'E4Upgrade.sln') -c $Configuration --nologo -v quiet -clp:ErrorsOnly }
}

function Invoke-Build {
    Invoke-Compile
    Invoke-Layout
}

function Invoke-Layout {
    # What Invoke-Compile built, published and laid out: the module, the simulator and the .NET 8 host.
    $version = Get-ProductVersion
    $publish = Join-Path $Out 'publish/E4Upgrade'
    Remove-Item -Recurse -Force $ModuleOut -ErrorAction Ignore
    $modulePublish = Start-Publish 'module' (Join-Path $Root 'src/E4Upgrade/E4Upgrade.csproj') $publish
    $simulatorProject = Join-Path $Root 'tests/E4Upgrade.GraphSimulator/E4Upgrade.GraphSimulator.csproj'
    # The .NET 8 proof (tests/pester/Net8.Tests.ps1): a self-contained .NET 8 host that loads the module as PowerShell 7.4 would.
    $net8HostProject = Join-Path $Root 'tests/E4Upgrade.Net8Host/E4Upgrade.Net8Host.csproj'
    $others = @(
        if (Test-Path $simulatorProject) { Start-Publish 'simulator' $simulatorProject $SimulatorOut }
        if (Test-Path $net8HostProject) { Start-Publish '.NET 8 host' $net8HostProject $Net8HostOut }
    )
    Wait-Publish $modulePublish

    # Layout: the cmdlet assembly at the root (loaded by PowerShell into the default context); the engine and
    # everything it depends on under Dependencies/, loaded into the module's own AssemblyLoadContext.
    $deps = Join-Path $ModuleOut 'Dependencies'
    New-Item -ItemType Directory -Force $deps | Out-Null
    Copy-Item (Join-Path $publish 'E4Upgrade.dll') $ModuleOut
    Get-ChildItem $publish -File | Where-Object { $_.Name -ne 'E4Upgrade.dll' -and $_.Extension -in '.dll', '.json' -and $_.Name -ne 'E4Upgrade.deps.json' } |
        Copy-Item -Destination $deps
    Copy-Item (Join-Path $Root 'src/E4Upgrade/E4Upgrade.Format.ps1xml') $ModuleOut

    Copy-Item (Join-Path $Root 'LICENSE') $ModuleOut

    $manifest = Get-Content -Raw (Join-Path $Root 'E4Upgrade.psd1')
    $manifest = Set-ManifestValue $manifest 'ModuleVersion' $version
    $manifest = Set-ManifestValue $manifest 'ProjectUri' (Get-BuildProperty 'E4UpgradeProjectUri')
    $manifest = Set-ManifestValue $manifest 'LicenseUri' (Get-BuildProperty 'E4UpgradeLicenseUri')
    $manifest = Set-ManifestValue $manifest 'ReleaseNotes' (Get-ReleaseNotes $version)
    Set-Content -Path (Join-Path $ModuleOut 'E4Upgrade.psd1') -Value $manifest -Encoding utf8NoBOM

    $help = Join-Path $ModuleOut 'en-US'
    New-Item -ItemType Directory -Force $help | Out-Null
    Copy-Item (Join-Path $Root 'en-US/about_*.help.txt') $help
    & (Join-Path $Root 'src/E4Upgrade/Help/New-MamlHelp.ps1') -ModulePath (Join-Path $ModuleOut 'E4Upgrade.psd1') -HelpSourcePath (Join-Path $Root 'en-US/cmdlets') -OutputPath (Join-Path $help 'E4Upgrade.dll-Help.xml')
    if ($LASTEXITCODE -and $LASTEXITCODE -ne 0) { throw 'Help generation failed.' }

    $others | ForEach-Object { Wait-Publish $_ }
    Write-Host "Module: $ModuleOut" -ForegroundColor Green
}

function Invoke-Package {
    if (-not (Get-BuildProperty 'E4UpgradeProjectUri') -or -not (Get-BuildProperty 'E4UpgradeLicenseUri')) {
        Write-Warning 'E4UpgradeProjectUri or E4UpgradeLicenseUri is empty in Directory.Build.props: the package has no project or license link. Set them before publishing to a gallery.'
    }
    Remove-Item (Join-Path $Out 'E4Upgrade.*.nupkg') -ErrorAction Ignore
    # The zip is written on a thread of its own while the package's child pwsh runs: neither reads what the other writes.
    $zip = Start-AutomationZip
    try { & (Join-Path $Root 'src/E4Upgrade/Packaging/New-ModulePackage.ps1') -ModulePath $ModuleOut -OutputDirectory $Out }
    finally { $zip | Wait-Job | Receive-Job; $zip | Remove-Job }
}

function Start-AutomationZip {
    # What Azure Automation imports: "zip up the module folder ... The .zip package should have the same name as the
    # contained module folder" (https://learn.microsoft.com/azure/automation/shared-resources/modules#author-modules),
    # so out/E4Upgrade.zip holds E4Upgrade/E4Upgrade.psd1. ZipFile writes '/' separators on every platform.
    # Returns a thread job; receiving it prints the line about the zip, or throws what went wrong.
    Start-ThreadJob -ArgumentList $ModuleOut, (Join-Path $Out 'E4Upgrade.zip') -ScriptBlock {
        param($ModuleOut, $zip)
        $ErrorActionPreference = 'Stop'
        Remove-Item $zip -ErrorAction Ignore
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        [System.IO.Compression.ZipFile]::CreateFromDirectory($ModuleOut, $zip, [System.IO.Compression.CompressionLevel]::Optimal, $true)
        Write-Host ("Azure Automation module: {0} ({1:N1} MB; Automation takes up to 100 MB)" -f $zip, ((Get-Item $zip).Length / 1MB))
    }
}

function Read-TrxCounts([string] $directory) {
    $passed = 0; $failed = 0
    foreach ($file in Get-ChildItem $directory -Filter *.trx -ErrorAction Ignore) {
        [xml] $trx = Get-Content -Raw -LiteralPath $file.FullName
        $counters = $trx.TestRun.ResultSummary.Counters
        $passed += [int] $counters.passed
        $failed += [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
    }
    return [pscustomobject]@{ Passed = $passed; Failed = $failed }
}

function Install-TestBrowser {
    # The HTML report is tested in a real browser (tests/pester/HtmlReport.Tests.ps1): Debian's chromium package.
    if (Test-Path '/usr/bin/chromium') { return }
    if (-not $IsLinux -or -not (Get-Command apt-get -ErrorAction Ignore)) {
        throw 'The HTML report test needs headless Chromium at /usr/bin/chromium (Debian: apt-get install chromium).'
    }
    if ((id -u) -ne '0') { throw 'Headless Chromium is missing and this is not root: run "apt-get install -y chromium" as root once.' }
    Write-Host 'Installing headless Chromium (apt-get install chromium)' -ForegroundColor Cyan
    $env:DEBIAN_FRONTEND = 'noninteractive'
    Invoke-Native 'apt-get update' { apt-get update -qq }
    Invoke-Native 'apt-get install chromium' { apt-get install -y -qq --no-install-recommends chromium fonts-liberation }
}

function Install-Azurite {
    # The journal in blob storage is tested against Azurite, Microsoft's storage emulator (npm package azurite), in
    # out/tools/azurite; the tests start it from there (AzuriteBlobFixture, Start-Azurite in the Pester helpers).
    $dir = Join-Path $Out 'tools/azurite'
    if (Test-Path (Join-Path $dir 'node_modules/.bin/azurite-blob')) { return }
    if (-not (Get-Command npm -ErrorAction Ignore)) {
        if (-not $IsLinux -or -not (Get-Command apt-get -ErrorAction Ignore) -or (id -u) -ne '0') {
            throw 'The blob journal tests need Node.js and npm (Debian: apt-get install nodejs npm) to install Azurite.'
        }
        Write-Host 'Installing Node.js and npm (apt-get install nodejs npm)' -ForegroundColor Cyan
        $env:DEBIAN_FRONTEND = 'noninteractive'
        Invoke-Native 'apt-get update' { apt-get update -qq }
        Invoke-Native 'apt-get install nodejs npm' { apt-get install -y -qq --no-install-recommends nodejs npm }
    }
    Write-Host 'Installing Azurite (npm install azurite)' -ForegroundColor Cyan
    New-Item -ItemType Directory -Force $dir | Out-Null
    Invoke-Native 'npm install azurite' { npm install --prefix $dir --no-audit --no-fund --silent azurite@3.37.0 }
}

function Start-Xunit([string] $ResultsDirectory, [string] $Filter) {
    # Every xunit project of the solution (dotnet test runs them side by side), in the background; see Wait-Xunit.
    $log = Join-Path ([System.IO.Path]::GetTempPath()) ('e4u-xunit-' + [guid]::NewGuid().ToString('n'))
    # Start-Process joins its arguments with spaces: each path and the filter are quoted.
    $arguments = @('test', "`"$(Join-Path $Root 'E4Upgrade.sln')`"", '-c', $Configuration, '--no-build', '--nologo', '--logger', 'trx',
        '--logger', '"console;verbosity=minimal"', '--results-directory', "`"$ResultsDirectory`"", '--filter', "`"$Filter`"",
        # Most xunit tests wait on a simulator or a virtual clock rather than compute: four test classes at a time, not
        # one per core (xunit's default), keep the two cores busy. The throughput tests' collection still runs alone.
        '--', 'xUnit.MaxParallelThreads=4')
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -NoNewWindow -RedirectStandardOutput "$log.out" -RedirectStandardError "$log.err"
    $null = $process.Handle # keeps ExitCode readable after the process ends
    [pscustomobject]@{ Process = $process; Log = $log; ResultsDirectory = $ResultsDirectory }
}

function Wait-Xunit($Run) {
    # Prints the xunit output and returns the counts read from the trx files.
    $Run.Process.WaitForExit()
    # How long the tests ran: from the first test run's start to the last one's finish, as the trx files record them.
    $times = @(Get-ChildItem $Run.ResultsDirectory -Filter *.trx -ErrorAction Ignore | ForEach-Object { ([xml] (Get-Content -Raw -LiteralPath $_.FullName)).TestRun.Times })
    $seconds = if ($times.Count) { ((($times | ForEach-Object { [datetimeoffset] $_.finish }) | Measure-Object -Maximum).Maximum - (($times | ForEach-Object { [datetimeoffset] $_.start }) | Measure-Object -Minimum).Minimum).TotalSeconds } else { 0 }
    Write-Host 'xunit' -ForegroundColor Cyan
    Get-Content "$($Run.Log).out", "$($Run.Log).err" -ErrorAction Ignore | Write-Host
    Remove-Item "$($Run.Log).out", "$($Run.Log).err" -ErrorAction Ignore
    $counts = Read-TrxCounts $Run.ResultsDirectory
    if ($Run.Process.ExitCode -ne 0 -and $counts.Failed -eq 0) {
        # The runner failed without reporting a failed test (crash, build problem): count it as a failure.
        $counts.Failed = 1
    }
    $counts | Add-Member Seconds $seconds -PassThru
}

function Invoke-PesterSuite([string] $ResultPath) {
    # The Pester suite against the built module, in fresh pwsh processes (tests/pester/Invoke-PesterSuite.ps1).
    $pesterModule = Get-PesterModulePath
    $arguments = @{
        PesterModule = $pesterModule; ModulePath = (Join-Path $ModuleOut 'E4Upgrade.psd1')
        SimulatorPath = (Join-Path $SimulatorOut 'E4Upgrade.GraphSimulator.dll'); ResultPath = $ResultPath
    }
    if ($PesterFilter) { $arguments.Filter = $PesterFilter }
    & (Join-Path $Root 'tests/pester/Invoke-PesterSuite.ps1') @arguments
    $pesterExit = $LASTEXITCODE
    $counts = [pscustomobject]@{ Passed = 0; Failed = 1 }
    if (Test-Path $ResultPath) { $counts = Get-Content -Raw $ResultPath | ConvertFrom-Json }
    if ($pesterExit -ne 0 -and $counts.Failed -eq 0) { $counts.Failed = 1 }
    $counts
}

function Invoke-Test {
    # xunit runs beside the Pester suite, which spends most of its time waiting; it starts once the module is published
    # and packed, since the publishes and the package are on the way to Pester and xunit is not (a clean-clone run with
    # xunit started at the compile took 40 s for them instead of 10). The few xunit tests that race real time (trait
    # Category=RealTime) run on their own once Pester is done; the throughput tests (Category=Throughput) in Bench.
    Install-TestBrowser
    Install-Azurite
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    Invoke-Compile
    Remove-Item -Recurse -Force $TestResults -ErrorAction Ignore
    New-Item -ItemType Directory -Force $TestResults | Out-Null
    $xunitDir = Join-Path $TestResults 'xunit'
    $beside = 'Category!=Throughput&Category!=RealTime'
    Invoke-Layout
    Invoke-Package
    $buildSeconds = $clock.Elapsed.TotalSeconds
    if (-not $Sequential) {
        Write-Host 'Running xunit tests (in the background)' -ForegroundColor Cyan
        $xunitRun = Start-Xunit $xunitDir $beside
    }
    if ($Sequential) {
        Write-Host 'Running xunit tests' -ForegroundColor Cyan
        $xunit = Wait-Xunit (Start-Xunit $xunitDir $beside)
    }

    Write-Host 'Running Pester tests against the built module (fresh pwsh)' -ForegroundColor Cyan
    $pesterClock = [System.Diagnostics.Stopwatch]::StartNew()
    $pester = Invoke-PesterSuite (Join-Path $TestResults 'pester.json')
    $pesterSeconds = $pesterClock.Elapsed.TotalSeconds
    if (-not $Sequential) { $xunit = Wait-Xunit $xunitRun }
    Write-Host 'Running the xunit tests that race real time, alone' -ForegroundColor Cyan
    $realTime = Wait-Xunit (Start-Xunit (Join-Path $TestResults 'xunit-realtime') 'Category=RealTime')

    $passed = $xunit.Passed + $realTime.Passed + $pester.Passed
    $failed = $xunit.Failed + $realTime.Failed + $pester.Failed
    Write-Host ('Times: build, publish and package {0:0} s; xunit {1:0} s{2}; Pester {3:0} s; xunit alone {4:0} s; total {5:0} s' -f $buildSeconds,
        $xunit.Seconds, $(if ($Sequential) { '' } else { ' (beside the rest)' }), $pesterSeconds, $realTime.Seconds, $clock.Elapsed.TotalSeconds)
    Write-Host "xunit: $($xunit.Passed + $realTime.Passed) passed, $($xunit.Failed + $realTime.Failed) failed; Pester: $($pester.Passed) passed, $($pester.Failed) failed"
    Write-Output "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -File (Join-Path $Root 'tests/demo/Start-Demo.ps1') -ModulePath (Join-Path $ModuleOut 'E4Upgrade.psd1') -SimulatorPath (Join-Path $SimulatorOut 'E4Upgrade.GraphSimulator.dll')
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Bench {
    Invoke-Build
    $only = if ($BenchOnly) { @('-Only', $BenchOnly) } else { @() }
    # The xunit tests whose size is their point (trait Category=Throughput), kept out of Test; they gate.
    $benchTests = Join-Path $Out 'bench/test-results'
    Remove-Item -Recurse -Force $benchTests -ErrorAction Ignore
    New-Item -ItemType Directory -Force $benchTests | Out-Null
    $xunit = Wait-Xunit (Start-Xunit $benchTests 'Category=Throughput')
    Write-Host "Throughput tests: $($xunit.Passed) passed, $($xunit.Failed) failed"
    if ($xunit.Failed -gt 0) { exit 1 }
    dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -File (Join-Path $Root 'tests/E4Upgrade.Benchmark/Invoke-Benchmark.ps1') -ModulePath (Join-Path $ModuleOut 'E4Upgrade.psd1') -SimulatorPath (Join-Path $SimulatorOut 'E4Upgrade.GraphSimulator.dll') -OutputPath (Join-Path $Out 'bench') @only
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Clean {
    Remove-Item -Recurse -Force $Out -ErrorAction Ignore
    Get-ChildItem $Root -Recurse -Directory -Include bin, obj | Remove-Item -Recurse -Force -ErrorAction Ignore
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Package' { Invoke-Build; Invoke-Package }
    'Demo' { Invoke-Demo }
    'Bench' { Invoke-Bench }
    'Clean' { Invoke-Clean }
    'TestTools' { Install-TestBrowser; Install-Azurite }
}
