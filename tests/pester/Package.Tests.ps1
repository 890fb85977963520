# What a user installs: the package build.ps1 Package wrote (out/E4Upgrade.<version>.nupkg) is published to a temporary
# local repository (a folder) with PSResourceGet, installed with Install-PSResource into a temporary user module path,
# and imported BY NAME in a fresh pwsh, which then runs Get-Command, Get-Help and one cmdlet. Nothing of out/E4Upgrade
# is used. On Linux and macOS the fresh processes get their own HOME and XDG_DATA_HOME: PSResourceGet installs for the
# current user under $HOME/.local/share/powershell and keeps its repositories under XDG_DATA_HOME, and pwsh looks for
# user modules under XDG_DATA_HOME, so the machine's own modules and settings are never touched. Windows has no such
# switch for the Documents folder, so the test runs on Linux and macOS only.
BeforeDiscovery {
    $script:IsolatedHome = -not $IsWindows
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    $script:Built = Import-PowerShellDataFile (Get-TestModulePath)
    $script:Package = Join-Path (Split-Path (Split-Path (Get-TestModulePath))) "E4Upgrade.$($script:Built.ModuleVersion).nupkg"
    $script:UserHome = Join-Path $TestDrive 'home'
    $script:DataHome = Join-Path $script:UserHome '.local/share'
    $script:Repository = Join-Path $TestDrive 'repository'
    # Every folder the user's settings live in must exist: .NET reports a missing one as an empty path, and NuGet or
    # PSResourceGet would then write into the current folder. The processes run in the test drive besides.
    New-Item -ItemType Directory -Force $script:DataHome, (Join-Path $script:UserHome '.config'), $script:Repository | Out-Null

    function Invoke-AsUser([string] $Script) {
        $saved = $env:HOME, $env:XDG_DATA_HOME
        $env:HOME, $env:XDG_DATA_HOME = $script:UserHome, $script:DataHome
        Push-Location $TestDrive
        try { Invoke-FreshPwsh -Script $Script -TimeoutSeconds 300 } finally { Pop-Location; $env:HOME, $env:XDG_DATA_HOME = $saved }
    }

    function Read-Json($run, [string] $prefix) {
        $line = $run.Output | Where-Object { $_ -like "$prefix=*" } | Select-Object -Last 1
        if (-not $line) { throw "No $prefix line in: $($run.Output -join "`n")" }
        $line.Substring($prefix.Length + 1) | ConvertFrom-Json
    }
}

Describe 'The package, installed with Install-PSResource and imported by name' -Skip:(-not $script:IsolatedHome) {
    BeforeAll {
        $script:Install = Invoke-AsUser @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
Register-PSResourceRepository -Name E4UpgradeTest -Uri '$($script:Repository)' -Trusted
Publish-PSResource -NupkgPath '$($script:Package)' -Repository E4UpgradeTest
`$installed = Install-PSResource -Name E4Upgrade -Repository E4UpgradeTest -Scope CurrentUser -TrustRepository -PassThru
'INSTALLED=' + (@{ Version = "`$(`$installed.Version)"; Location = `$installed.InstalledLocation } | ConvertTo-Json -Compress)
"@
        $script:Installed = Read-Json $script:Install 'INSTALLED'

        $script:Use = Invoke-AsUser @"
`$ErrorActionPreference = 'Stop'
`$module = Import-Module E4Upgrade -PassThru
`$report = try { Get-E4UpgradeReport -JournalPath (Join-Path '$TestDrive' 'none.jsonl') -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId }
'USED=' + (@{
    ModuleBase = `$module.ModuleBase
    Version = "`$(`$module.Version)"
    Commands = @(Get-Command -Module E4Upgrade | ForEach-Object Name)
    Synopsis = (Get-Help Start-E4Upgrade).Synopsis
    Syntax = (Get-Help Start-E4Upgrade).Syntax | Out-String -Width 1000
    Aliases = (Get-Help Move-UserLicense -Parameter User).aliases
    About = Get-Help about_E4Upgrade_Journal | Out-String
    ReleaseNotes = `$module.PrivateData.PSData.ReleaseNotes
    Tags = @(`$module.PrivateData.PSData.Tags)
    ProjectUri = "`$(`$module.PrivateData.PSData.ProjectUri)"
    LicenseUri = "`$(`$module.PrivateData.PSData.LicenseUri)"
    License = Test-Path (Join-Path `$module.ModuleBase 'LICENSE')
    ReportError = "`$report"
} | ConvertTo-Json -Compress -Depth 3)
"@
        $script:Used = Read-Json $script:Use 'USED'
    }

    It 'build.ps1 Package wrote the package for this version' {
        Test-Path $script:Package | Should -BeTrue
    }

    It 'left every setting it made inside the temporary home' {
        Get-ChildItem (Join-Path $script:UserHome '.config') -Recurse -File | Should -Not -BeNullOrEmpty -Because 'NuGet keeps its settings there'
        Test-Path (Join-Path $TestDrive 'NuGet') | Should -BeFalse
        Test-Path (Join-Path $TestDrive 'PSResourceGet') | Should -BeFalse
    }

    It 'installs from the temporary repository into the temporary user module path' {
        $script:Install.ExitCode | Should -Be 0 -Because ($script:Install.Output -join "`n")
        $script:Installed.Version | Should -Be $script:Built.ModuleVersion
        $script:Installed.Location | Should -BeLike "$($script:DataHome)*"
    }

    It 'imports by name from where it was installed, not from out/' {
        $script:Use.ExitCode | Should -Be 0 -Because ($script:Use.Output -join "`n")
        $script:Used.ModuleBase | Should -BeLike (Join-Path $script:DataHome 'powershell/Modules/E4Upgrade/*')
        $script:Used.Version | Should -Be $script:Built.ModuleVersion
    }

    It 'exports every cmdlet of the manifest' {
        @($script:Used.Commands | Sort-Object) | Should -Be @($script:Built.CmdletsToExport | Sort-Object)
    }

    It 'brings its help: cmdlet help in Microsoft''s format and the about topics' {
        $script:Used.Synopsis | Should -Match 'whole E4 upgrade'
        $script:Used.Syntax | Should -Match '\[-WaitForTarget\] '
        $script:Used.Syntax | Should -Match '\[-TargetSku\] <String'
        $script:Used.Aliases | Should -Not -Be 'None'
        $script:Used.About | Should -Match 'about_E4Upgrade_Journal'
    }

    It 'runs a cmdlet, which loads the engine from the installed Dependencies' {
        $script:Used.ReportError | Should -Be 'JournalNotFound,E4Upgrade.Cmdlets.GetE4UpgradeReportCommand'
    }

    It 'carries what a gallery shows: release notes from CHANGELOG.md, tags, the license' {
        $changelog = Get-Content -Raw (Join-Path $PSScriptRoot '../../CHANGELOG.md')
        $script:Used.ReleaseNotes | Should -Not -BeNullOrEmpty
        $changelog | Should -Match ([regex]::Escape(($script:Used.ReleaseNotes -split "`r?`n")[0]))
        $changelog | Should -Match "## \[$([regex]::Escape($script:Built.ModuleVersion))\]"
        $script:Used.Tags | Should -Contain 'PSEdition_Core'
        $script:Used.License | Should -BeTrue
        [xml] $props = Get-Content -Raw (Join-Path $PSScriptRoot '../../Directory.Build.props')
        $script:Used.ProjectUri | Should -Be "$($props.Project.PropertyGroup.E4UpgradeProjectUri)".Trim()
        $script:Used.LicenseUri | Should -Be "$($props.Project.PropertyGroup.E4UpgradeLicenseUri)".Trim()
    }
}
