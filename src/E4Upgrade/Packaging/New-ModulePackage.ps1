#requires -Version 7.2
<#
.SYNOPSIS
    Packs the built module into <OutputDirectory>/E4Upgrade.<version>.nupkg, the package a PowerShell gallery takes,
    with PSResourceGet (Microsoft.PowerShell.PSResourceGet ships with PowerShell 7.4 and later).
.DESCRIPTION
    PSResourceGet packs only by publishing, so the module is published into a temporary local repository: a folder,
    registered under a unique name, unregistered and deleted afterwards. The work runs in a child pwsh; on Linux and
    macOS that child gets its own XDG_DATA_HOME, so the user's list of repositories is never touched at all.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutputDirectory,
    [switch] $InProcess
)

$ErrorActionPreference = 'Stop'
$work = Join-Path ([System.IO.Path]::GetTempPath()) ('e4upgrade-pack-' + [guid]::NewGuid().ToString('n'))

if (-not $InProcess) {
    New-Item -ItemType Directory -Force $work | Out-Null
    $savedDataHome = $env:XDG_DATA_HOME
    try {
        if (-not $IsWindows) { $env:XDG_DATA_HOME = Join-Path $work 'data' }
        dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $PSCommandPath -ModulePath $ModulePath -OutputDirectory $OutputDirectory -InProcess
        if ($LASTEXITCODE -ne 0) { throw "Packing the module failed (exit code $LASTEXITCODE)." }
    } finally {
        $env:XDG_DATA_HOME = $savedDataHome
        Remove-Item -Recurse -Force $work -ErrorAction Ignore
    }
    return
}

$manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'E4Upgrade.psd1')
$version = $manifest.ModuleVersion
$repositoryPath = Join-Path $work 'repository'
New-Item -ItemType Directory -Force $repositoryPath | Out-Null
$repository = 'E4UpgradeBuild-' + [guid]::NewGuid().ToString('n')
Register-PSResourceRepository -Name $repository -Uri $repositoryPath -Trusted
try {
    Publish-PSResource -Path $ModulePath -Repository $repository
} finally {
    Unregister-PSResourceRepository -Name $repository
}

$package = Join-Path $repositoryPath "E4Upgrade.$version.nupkg"
if (-not (Test-Path $package)) { throw "Publish-PSResource wrote no $package." }
New-Item -ItemType Directory -Force $OutputDirectory | Out-Null
$target = Join-Path $OutputDirectory "E4Upgrade.$version.nupkg"
Move-Item $package $target -Force
Remove-Item -Recurse -Force $work -ErrorAction Ignore
Write-Host "Package: $target"
