#requires -Version 7.2
<#
.SYNOPSIS
    Packs the built module into <OutputDirectory>/E4Upgrade.<version>.nupkg, the package a PowerShell gallery takes,
    with PSResourceGet (Microsoft.PowerShell.PSResourceGet ships with PowerShell 7.4 and later).
.DESCRIPTION
    PSResourceGet packs only by publishing, so the module is published into a temporary local repository: a folder,
    registered under a unique name, unregistered and deleted afterwards. The work runs in a child pwsh; on Linux and
    macOS that child gets its own HOME and XDG_DATA_HOME (PSResourceGet keeps its repositories there, and the NuGet
    library inside it writes a NuGet.Config under ~/.config), so the user's settings are never touched at all.
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
    # The data folder must exist: .NET reports a missing one as an empty path, and the settings would land in the
    # current folder. The child also runs in $work, so anything written relative to it is removed with it.
    $userHome = Join-Path $work 'home'
    $dataHome = Join-Path $userHome '.local/share'
    New-Item -ItemType Directory -Force $dataHome, (Join-Path $userHome '.config') | Out-Null
    $ModulePath = (Resolve-Path $ModulePath).Path
    $OutputDirectory = [System.IO.Path]::GetFullPath($OutputDirectory)
    $saved = $env:HOME, $env:XDG_DATA_HOME
    Push-Location $work
    try {
        if (-not $IsWindows) { $env:HOME, $env:XDG_DATA_HOME = $userHome, $dataHome }
        dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $PSCommandPath -ModulePath $ModulePath -OutputDirectory $OutputDirectory -InProcess
        if ($LASTEXITCODE -ne 0) { throw "Packing the module failed (exit code $LASTEXITCODE)." }
    } finally {
        Pop-Location
        $env:HOME, $env:XDG_DATA_HOME = $saved
        Remove-Item -Recurse -Force $work -ErrorAction Ignore
    }
    return
}

$manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'E4Upgrade.psd1')
$version = $manifest.ModuleVersion
$repositoryPath = Join-Path $work 'repository'
$repository = 'E4UpgradeBuild-' + [guid]::NewGuid().ToString('n')
New-Item -ItemType Directory -Force $repositoryPath | Out-Null
try {
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
    Write-Host "Package: $target"
} finally {
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}
