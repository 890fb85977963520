BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    $script:ModulePath = Get-TestModulePath
}

Describe 'The built module manifest' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $script:ModulePath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'exports cmdlets explicitly, with no wildcards, nested modules or required assemblies' {
        $data = Import-PowerShellDataFile $script:ModulePath
        $data.CmdletsToExport | Should -Not -BeNullOrEmpty
        $data.CmdletsToExport | Where-Object { $_ -match '\*' } | Should -BeNullOrEmpty
        $data.ContainsKey('NestedModules') | Should -BeFalse
        $data.ContainsKey('RequiredAssemblies') | Should -BeFalse
        $data.FormatsToProcess | Should -Be @('E4Upgrade.Format.ps1xml')
        # Only the proven: PowerShell 7.4 and later (Core); Windows PowerShell 5.1 (Desktop) is not claimed.
        $data.CompatiblePSEditions | Should -Be @('Core')
        $data.PowerShellVersion | Should -Be '7.4'
        $data.ContainsKey('DotNetFrameworkVersion') | Should -BeFalse
        $data.PrivateData.PSData.Tags | Should -Not -Contain 'PSEdition_Desktop'
    }

    It 'carries the version from Directory.Build.props' {
        [xml] $props = Get-Content -Raw (Join-Path $PSScriptRoot '../../Directory.Build.props')
        $expected = ($props.Project.PropertyGroup.E4UpgradeVersion | Where-Object { $_ } | Select-Object -First 1).Trim()
        (Import-PowerShellDataFile $script:ModulePath).ModuleVersion | Should -Be $expected
    }

    It 'keeps the engine and its dependencies out of the module root' {
        $root = Split-Path $script:ModulePath
        Get-ChildItem $root -Filter *.dll | ForEach-Object Name | Should -Be @('E4Upgrade.dll')
        Test-Path (Join-Path $root 'Dependencies/E4Upgrade.Engine.dll') | Should -BeTrue
        Test-Path (Join-Path $root 'Dependencies/Microsoft.Graph.dll') | Should -BeTrue
        Test-Path (Join-Path $root 'Dependencies/System.Management.Automation.dll') | Should -BeFalse
    }
}

Describe 'Importing the module' {
    It 'imports in a fresh pwsh and exports every cmdlet the manifest names' {
        $result = Invoke-FreshPwsh -Script @"
`$ErrorActionPreference = 'Stop'
`$m = Import-Module '$($script:ModulePath)' -PassThru
(Get-Command -Module `$m.Name -CommandType Cmdlet | Sort-Object Name | ForEach-Object Name) -join ','
"@
        $result.ExitCode | Should -Be 0 -Because ($result.Output -join "`n")
        $exported = ($result.Output | Select-Object -Last 1) -split ','
        $expected = (Import-PowerShellDataFile $script:ModulePath).CmdletsToExport | Sort-Object
        $exported | Should -Be $expected
    }
}
