# The .zip Azure Automation imports (build.ps1 Package writes out/E4Upgrade.zip). Microsoft's rules for a custom module
# (https://learn.microsoft.com/azure/automation/shared-resources/modules#author-modules): a .psd1, .psm1 or .dll with
# the module folder's name, the module folder zipped, the .zip named after the folder; the limits page caps a module at
# 100 MB. The zip is opened, unpacked into the test drive and imported from there in a fresh pwsh.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $script:Zip = Join-Path (Split-Path (Split-Path (Get-TestModulePath))) 'E4Upgrade.zip'
    $script:Built = Import-PowerShellDataFile (Get-TestModulePath)
}

Describe 'out/E4Upgrade.zip, the module as Azure Automation imports it' {
    BeforeAll {
        if (-not (Test-Path $script:Zip)) { throw "No $($script:Zip): run build.ps1 Package first." }
        $archive = [System.IO.Compression.ZipFile]::OpenRead($script:Zip)
        try { $script:Entries = @($archive.Entries | ForEach-Object FullName) } finally { $archive.Dispose() }
    }

    It 'is named after the module folder and is under the 100 MB Automation takes' {
        Split-Path $script:Zip -Leaf | Should -Be 'E4Upgrade.zip'
        (Get-Item $script:Zip).Length | Should -BeLessThan 100MB
    }

    It 'holds one folder named E4Upgrade at its root, with the manifest and the cmdlet assembly in it' {
        @($script:Entries | ForEach-Object { ($_ -split '/')[0] } | Sort-Object -Unique) | Should -Be @('E4Upgrade')
        $script:Entries | Should -Contain 'E4Upgrade/E4Upgrade.psd1'
        $script:Entries | Should -Contain 'E4Upgrade/E4Upgrade.dll'
        $script:Entries | Should -Contain 'E4Upgrade/Dependencies/E4Upgrade.Engine.dll'
        @($script:Entries | Where-Object { $_.Contains('\') }) | Should -BeNullOrEmpty -Because 'entry names use / on every platform'
    }

    It 'is the built module, file for file' {
        $root = Split-Path (Get-TestModulePath)
        $files = @(Get-ChildItem $root -Recurse -File | ForEach-Object { 'E4Upgrade/' + [System.IO.Path]::GetRelativePath($root, $_.FullName).Replace('\', '/') })
        @($script:Entries | Where-Object { -not $_.EndsWith('/') } | Sort-Object) | Should -Be @($files | Sort-Object)
    }

    It 'unpacked, imports in a fresh pwsh and exports every cmdlet of the manifest' {
        $target = Join-Path $TestDrive 'modules'
        [System.IO.Compression.ZipFile]::ExtractToDirectory($script:Zip, $target)
        $result = Invoke-FreshPwsh -Script @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Join-Path $target 'E4Upgrade/E4Upgrade.psd1')'
'version=' + (Get-Module E4Upgrade).Version
'cmdlets=' + ((Get-Command -Module E4Upgrade | ForEach-Object Name | Sort-Object) -join ',')
"@
        $result.ExitCode | Should -Be 0 -Because ($result.Output -join "`n")
        $result.Output | Should -Contain "version=$($script:Built.ModuleVersion)"
        $result.Output | Should -Contain ('cmdlets=' + (($script:Built.CmdletsToExport | Sort-Object) -join ','))
    }
}
