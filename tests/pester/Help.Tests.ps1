BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    $module = Import-Module (Get-TestModulePath) -PassThru -Force
    $script:Commands = Get-Command -Module $module.Name -CommandType Cmdlet | ForEach-Object {
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        @{ Name = $_.Name; Parameters = @($_.Parameters.Keys | Where-Object { $_ -notin $common }) }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
}

Describe 'Help for <Name>' -ForEach $script:Commands {
    BeforeAll {
        $script:Help = Get-Help $Name -Full
    }

    It 'has a synopsis' {
        $script:Help.Synopsis | Should -Not -BeNullOrEmpty
        $script:Help.Synopsis | Should -Not -Match "^\s*$Name\s"
    }

    It 'has a description' {
        ($script:Help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example with code and remarks' {
        $examples = @($script:Help.Examples.Example)
        $examples.Count | Should -BeGreaterThan 0
        foreach ($example in $examples) {
            $example.Code | Should -Not -BeNullOrEmpty
            ($example.Remarks | Out-String).Trim() | Should -Not -BeNullOrEmpty
        }
    }

    It 'documents parameter <_>' -ForEach $Parameters {
        $parameterHelp = $script:Help.Parameters.Parameter | Where-Object Name -eq $_
        $parameterHelp | Should -Not -BeNullOrEmpty
        ($parameterHelp.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }
}

Describe 'about_E4Upgrade' {
    It 'is found by Get-Help' {
        (Get-Help about_E4Upgrade | Out-String) | Should -Match 'E4Upgrade'
    }
}
