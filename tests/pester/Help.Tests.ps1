# The module's help, checked against the cmdlets' own metadata (Get-Command), the way Microsoft's modules show it:
# SYNTAX per parameter set with switches as [-Name] and short type names, -Full with Required, Position, pipeline
# input and aliases per parameter, and INPUTS/OUTPUTS naming the real types.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    $module = Import-Module (Get-TestModulePath) -PassThru -Force
    $script:Commands = Get-Command -Module $module.Name -CommandType Cmdlet | ForEach-Object {
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + 'UseTransaction'
        @{ Name = $_.Name; Parameters = @($_.Parameters.Keys | Where-Object { $_ -notin $common }) }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    # Any cmdlet that reaches the engine loads it into the module's load context, where the output types are looked up.
    Get-E4UpgradeReport -JournalPath (Join-Path $TestDrive 'none.jsonl') -ErrorAction SilentlyContinue
    $script:Common = [System.Management.Automation.PSCmdlet]::CommonParameters + 'UseTransaction'

    function Get-ShortName([type] $type) {
        $inner = [Nullable]::GetUnderlyingType($type)
        if ($inner) { $type = $inner }
        $type.Name # String, String[], TimeSpan, SwitchParameter
    }

    # How SYNTAX must show one parameter of one set.
    function Get-ExpectedSyntaxToken([System.Management.Automation.CommandParameterInfo] $p) {
        $name = if ($p.Position -ge 0) { "[-$($p.Name)]" } else { "-$($p.Name)" }
        $token = if ($p.ParameterType -eq [switch]) { $name } else { "$name <$(Get-ShortName $p.ParameterType)>" }
        if ($p.IsMandatory) { $token } else { "[$token]" }
    }

    function Get-SyntaxLines([string] $name) {
        # One line per syntax item, as Get-Help prints it, whitespace made single.
        $text = (Get-Help $name).Syntax | Out-String -Width 10000
        @($text -split "`r?`n" | Where-Object { $_ -match "^\s*$([regex]::Escape($name))\s" } | ForEach-Object { ($_ -replace '\s+', ' ').Trim() })
    }

    function Find-LoadedType([string] $fullName) {
        foreach ($context in [System.Runtime.Loader.AssemblyLoadContext]::All) {
            foreach ($assembly in $context.Assemblies) {
                $type = $assembly.GetType($fullName, $false)
                if ($type) { return $type }
            }
        }
    }
}

Describe 'Help for <Name>' -ForEach $script:Commands {
    BeforeAll {
        $script:Command = Get-Command $Name
        $script:Help = Get-Help $Name -Full
        $script:FullText = Get-Help $Name -Full | Out-String -Width 10000
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

    It 'shows one SYNTAX line per parameter set, each parameter as Microsoft''s help does' {
        $lines = Get-SyntaxLines $Name
        $lines.Count | Should -Be $script:Command.ParameterSets.Count
        foreach ($set in $script:Command.ParameterSets) {
            $own = @($set.Parameters | Where-Object Name -notin $script:Common)
            # The line of this set is the one that names exactly its parameters.
            $line = $lines | Where-Object {
                $named = @([regex]::Matches(($_ -replace "^$([regex]::Escape($Name))"), '-(\w+)') | ForEach-Object { $_.Groups[1].Value } | Sort-Object -Unique)
                -not (Compare-Object $named @($own.Name | Sort-Object -Unique))
            }
            @($line).Count | Should -Be 1 -Because "set $($set.Name) must have its own line in: $($lines -join ' | ')"
            foreach ($p in $own) {
                $line | Should -Match ([regex]::Escape((Get-ExpectedSyntaxToken $p)) + '(\s|$)') -Because "set $($set.Name), parameter $($p.Name)"
            }
            $line | Should -Match '\[<CommonParameters>\]$'
            if ($set.IsDefault) { $line | Should -Be $lines[0] -Because 'the default parameter set comes first' }
        }
    }

    It 'uses short type names and never shows a switch with a value in SYNTAX' {
        $syntax = (Get-Help $Name).Syntax | Out-String -Width 10000
        $syntax | Should -Not -Match '<System\.'
        $syntax | Should -Not -Match '<SwitchParameter>'
    }

    It 'shows Required, Position, pipeline input and aliases of each parameter from its metadata' {
        foreach ($name in $Parameters) {
            $meta = $script:Command.Parameters[$name]
            $attrs = @($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
            $help = $script:Help.Parameters.Parameter | Where-Object Name -eq $name
            $help.required | Should -Be ([bool] ($attrs | Where-Object Mandatory)).ToString().ToLower() -Because "-$name Required"
            $positions = @($attrs | Where-Object { $_.Position -ge 0 } | ForEach-Object { "$($_.Position + 1)" } | Select-Object -Unique)
            $help.position | Should -Be $(if ($positions.Count -eq 1) { $positions[0] } else { 'named' }) -Because "-$name Position"
            $byValue = [bool] ($attrs | Where-Object ValueFromPipeline)
            $byName = [bool] ($attrs | Where-Object ValueFromPipelineByPropertyName)
            $expectedPipeline = if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
            $help.pipelineInput | Should -Be $expectedPipeline -Because "-$name pipeline input"
            $expectedAliases = if ($meta.Aliases.Count) { $meta.Aliases -join ', ' } else { 'None' }
            $help.aliases | Should -Be $expectedAliases -Because "-$name aliases"
            $help.type.name | Should -Be $meta.ParameterType.FullName
            $shown = if ($meta.ParameterType -eq [switch]) { "-$name [<SwitchParameter>]" } else { "-$name <$(Get-ShortName $meta.ParameterType)>" }
            $script:FullText | Should -Match ([regex]::Escape($shown)) -Because 'the PARAMETERS section of -Full'
        }
        foreach ($label in 'Required\?', 'Position\?', 'Accept pipeline input\?', 'Aliases') {
            ([regex]::Matches($script:FullText, "(?m)^\s+$label\s")).Count | Should -Be $Parameters.Count -Because "-Full shows '$label' once per parameter"
        }
    }

    It 'names the real input types: those of the parameters that take pipeline input' {
        $expected = @($script:Command.Parameters.Values | Where-Object { $_.Name -notin $script:Common } | Where-Object {
                $_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and ($_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName) }
            } | ForEach-Object { $t = $_.ParameterType; if ($t.IsArray) { $t.GetElementType().FullName } else { $t.FullName } } | Select-Object -Unique)
        if (-not $expected) { $expected = @('None') }
        @($script:Help.inputTypes.inputType.type.name) | Should -Be $expected
    }

    It 'names the real output types: those of [OutputType], each a loaded type' {
        $expected = @($script:Command.OutputType.Name | Where-Object { $_ -ne 'System.Void' } | Select-Object -Unique)
        if (-not $expected) { $expected = @('None') }
        $shown = @($script:Help.returnValues.returnValue.type.name)
        $shown | Should -Be $expected
        foreach ($type in $shown | Where-Object { $_ -ne 'None' }) {
            Find-LoadedType $type | Should -Not -BeNullOrEmpty -Because "$type must be a type the module defines"
        }
    }
}

Describe 'about topics' {
    It 'finds about_E4Upgrade' {
        (Get-Help about_E4Upgrade | Out-String) | Should -Match 'E4Upgrade'
    }

    It 'finds about_E4Upgrade_Journal, which says where the journal lives and what it never holds' {
        $text = Get-Help about_E4Upgrade_Journal | Out-String
        $text | Should -Match 'about_E4Upgrade_Journal'
        $text | Should -Match 'E4Upgrade/journals'
        $text | Should -Match 'never'
        $text | Should -Match 'Get-E4UpgradeReport'
    }
}
