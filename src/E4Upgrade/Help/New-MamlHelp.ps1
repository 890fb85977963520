#requires -Version 7.2
<#
.SYNOPSIS
    Generates the module's MAML help (E4Upgrade.dll-Help.xml) from the built module's cmdlet metadata plus
    per-cmdlet prose kept in en-US/cmdlets/<Cmdlet-Name>.psd1.
.DESCRIPTION
    Everything that can drift from the code comes from Get-Command: parameter names, short type names, parameter
    sets, Required, Position, pipeline input, aliases, the input types (the types of the parameters that take
    pipeline input) and the output types ([OutputType]). The prose file holds only what a person writes: synopsis,
    description, parameter text, examples, notes, and optional descriptions of the input and output types
    (InputDescriptions / OutputDescriptions, keyed by type name). A cmdlet or parameter without prose, or a type
    description for a type the cmdlet does not take or return, fails the build.
    Switches are written the way Microsoft's own MAML writes them, so SYNTAX reads [-PassThru] and types read
    <String[]>. Runs the import in a child pwsh so the build process never loads the module.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $HelpSourcePath,
    [Parameter(Mandatory)] [string] $OutputPath,
    [switch] $InProcess
)

$ErrorActionPreference = 'Stop'

if (-not $InProcess) {
    dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $PSCommandPath -ModulePath $ModulePath -HelpSourcePath $HelpSourcePath -OutputPath $OutputPath -InProcess
    if ($LASTEXITCODE -ne 0) { throw "Help generation failed (exit code $LASTEXITCODE)." }
    return
}

# -WhatIf and -Confirm are shown like any parameter (as Microsoft's help does); the rest are <CommonParameters>.
$commonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters + @('UseTransaction')
$standardText = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}
$module = Import-Module $ModulePath -PassThru -Force
$commands = Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name

function ConvertTo-Paragraphs([string] $text) {
    $paras = ($text -split '(\r?\n){2,}') | Where-Object { $_.Trim() }
    foreach ($p in $paras) { "<maml:para>$([System.Security.SecurityElement]::Escape($p.Trim()))</maml:para>" }
}

function Get-ShortTypeName([type] $type) {
    # As Microsoft's help shows them: <String>, <String[]>, <TimeSpan>, <Nullable`1> never.
    $inner = [Nullable]::GetUnderlyingType($type)
    if ($inner) { return Get-ShortTypeName $inner }
    if ($type.IsArray) { return (Get-ShortTypeName $type.GetElementType()) + '[]' }
    return $type.Name
}

function Get-PipelineText($attributes) {
    $byValue = [bool] ($attributes | Where-Object ValueFromPipeline)
    $byName = [bool] ($attributes | Where-Object ValueFromPipelineByPropertyName)
    if ($byValue -and $byName) { return 'True (ByValue, ByPropertyName)' }
    if ($byValue) { return 'True (ByValue)' }
    if ($byName) { return 'True (ByPropertyName)' }
    return 'False'
}

function Get-InputTypeNames($command) {
    # What the pipeline can carry in: the type of each parameter that binds from it (an array parameter binds its elements).
    $names = foreach ($parameter in $command.Parameters.Values) {
        if ($parameter.Name -in $commonParameters) { continue }
        $attributes = @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
        if (-not ($attributes | Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName })) { continue }
        $type = $parameter.ParameterType
        if ($type.IsArray) { $type = $type.GetElementType() }
        $type.FullName
    }
    $unique = @($names | Select-Object -Unique)
    if ($unique.Count) { return $unique }
    return @('None')
}

function Get-OutputTypeNames($command) {
    $names = @($command.OutputType.Name | Where-Object { $_ -and $_ -ne 'System.Void' } | Select-Object -Unique)
    if ($names.Count) { return $names }
    return @('None')
}

function Get-SyntaxOrder($set) {
    # Positional parameters by position, then mandatory named ones, then the rest, in declaration order.
    $parameters = @($set.Parameters | Where-Object { $_.Name -notin $commonParameters })
    @($parameters | Where-Object { $_.Position -ge 0 } | Sort-Object Position) +
    @($parameters | Where-Object { $_.Position -lt 0 -and $_.IsMandatory }) +
    @($parameters | Where-Object { $_.Position -lt 0 -and -not $_.IsMandatory })
}

$e = { param($s) [System.Security.SecurityElement]::Escape([string] $s) }
$sb = [System.Text.StringBuilder]::new()
[void] $sb.AppendLine('<?xml version="1.0" encoding="utf-8"?>')
[void] $sb.AppendLine('<helpItems schema="maml" xmlns="http://msh">')
$missing = [System.Collections.Generic.List[string]]::new()

foreach ($command in $commands) {
    $sourceFile = Join-Path $HelpSourcePath "$($command.Name).psd1"
    if (-not (Test-Path $sourceFile)) { $missing.Add("$($command.Name): no $sourceFile"); continue }
    $prose = Import-PowerShellDataFile $sourceFile
    foreach ($key in 'Synopsis', 'Description', 'Examples', 'Parameters') {
        if (-not $prose.ContainsKey($key) -or ($key -ne 'Parameters' -and -not $prose[$key])) { $missing.Add("$($command.Name): no $key") }
    }
    foreach ($key in $prose.Keys) {
        if ($key -in 'Inputs', 'Outputs') {
            $missing.Add("$($command.Name): $key is read from the cmdlet's metadata now; describe the types in InputDescriptions/OutputDescriptions (keyed by type name) in $sourceFile")
        } elseif ($key -notin 'Synopsis', 'Description', 'Examples', 'Parameters', 'Notes', 'InputDescriptions', 'OutputDescriptions') {
            $missing.Add("$($command.Name): unknown key $key in $sourceFile")
        }
    }
    $parameterText = if ($prose.Parameters) { $prose.Parameters } else { @{} }
    $inputTypes = Get-InputTypeNames $command
    $outputTypes = Get-OutputTypeNames $command
    $inputText = if ($prose.InputDescriptions) { $prose.InputDescriptions } else { @{} }
    $outputText = if ($prose.OutputDescriptions) { $prose.OutputDescriptions } else { @{} }
    foreach ($name in $inputText.Keys | Where-Object { $_ -notin $inputTypes }) { $missing.Add("$($command.Name): InputDescriptions names $name, which no pipeline parameter takes") }
    foreach ($name in $outputText.Keys | Where-Object { $_ -notin $outputTypes }) { $missing.Add("$($command.Name): OutputDescriptions names $name, which is not an [OutputType]") }
    $verb, $noun = $command.Name -split '-', 2

    [void] $sb.AppendLine('<command:command xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10">')
    [void] $sb.AppendLine("<command:details><command:name>$($command.Name)</command:name><command:verb>$verb</command:verb><command:noun>$noun</command:noun>")
    [void] $sb.AppendLine("<maml:description>$(ConvertTo-Paragraphs $prose.Synopsis)</maml:description></command:details>")
    [void] $sb.AppendLine("<maml:description>$(ConvertTo-Paragraphs $prose.Description)</maml:description>")

    [void] $sb.AppendLine('<command:syntax>')
    # The default parameter set first, as Get-Command -Syntax and Microsoft's help list them.
    foreach ($set in @($command.ParameterSets | Sort-Object -Stable { -not $_.IsDefault })) {
        [void] $sb.AppendLine("<command:syntaxItem><maml:name>$($command.Name)</maml:name>")
        foreach ($p in Get-SyntaxOrder $set) {
            $position = if ($p.Position -ge 0) { $p.Position + 1 } else { 'named' }
            $value = if ($p.ParameterType -eq [System.Management.Automation.SwitchParameter]) { '' }
            else { "<command:parameterValue required=`"true`" variableLength=`"false`">$(& $e (Get-ShortTypeName $p.ParameterType))</command:parameterValue>" }
            [void] $sb.AppendLine("<command:parameter required=`"$($p.IsMandatory.ToString().ToLower())`" position=`"$position`" pipelineInput=`"$(Get-PipelineText $p)`" globbing=`"false`" variableLength=`"true`"><maml:name>$($p.Name)</maml:name>$value</command:parameter>")
        }
        [void] $sb.AppendLine('</command:syntaxItem>')
    }
    [void] $sb.AppendLine('</command:syntax>')

    [void] $sb.AppendLine('<command:parameters>')
    foreach ($name in $command.Parameters.Keys | Where-Object { $_ -notin $commonParameters } | Sort-Object) {
        $meta = $command.Parameters[$name]
        $text = if ($parameterText[$name]) { $parameterText[$name] } else { $standardText[$name] }
        if (-not $text) { $missing.Add("$($command.Name) -$name has no description"); $text = '' }
        $attrs = @($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
        $required = [bool] ($attrs | Where-Object Mandatory)
        $positions = @($attrs | Where-Object { $_.Position -ge 0 } | ForEach-Object { $_.Position + 1 } | Select-Object -Unique)
        $position = if ($positions.Count -eq 1) { $positions[0] } else { 'named' }
        $aliases = if ($meta.Aliases.Count) { $meta.Aliases -join ', ' } else { 'None' }
        $isSwitch = $meta.ParameterType -eq [System.Management.Automation.SwitchParameter]
        $typeName = Get-ShortTypeName $meta.ParameterType
        [void] $sb.AppendLine("<command:parameter required=`"$($required.ToString().ToLower())`" position=`"$position`" pipelineInput=`"$(Get-PipelineText $attrs)`" globbing=`"false`" variableLength=`"true`" aliases=`"$(& $e $aliases)`"><maml:name>$name</maml:name>")
        [void] $sb.AppendLine("<maml:description>$(ConvertTo-Paragraphs $text)</maml:description>")
        [void] $sb.AppendLine("<command:parameterValue required=`"$((-not $isSwitch).ToString().ToLower())`" variableLength=`"false`">$(& $e $typeName)</command:parameterValue>")
        [void] $sb.AppendLine("<dev:type><maml:name>$(& $e $meta.ParameterType.FullName)</maml:name></dev:type><dev:defaultValue>None</dev:defaultValue></command:parameter>")
    }
    [void] $sb.AppendLine('</command:parameters>')

    [void] $sb.AppendLine('<command:inputTypes>')
    foreach ($type in $inputTypes) {
        [void] $sb.AppendLine("<command:inputType><dev:type><maml:name>$(& $e $type)</maml:name></dev:type><maml:description>$(ConvertTo-Paragraphs $inputText[$type])</maml:description></command:inputType>")
    }
    [void] $sb.AppendLine('</command:inputTypes><command:returnValues>')
    foreach ($type in $outputTypes) {
        [void] $sb.AppendLine("<command:returnValue><dev:type><maml:name>$(& $e $type)</maml:name></dev:type><maml:description>$(ConvertTo-Paragraphs $outputText[$type])</maml:description></command:returnValue>")
    }
    [void] $sb.AppendLine('</command:returnValues>')
    if ($prose.Notes) { [void] $sb.AppendLine("<maml:alertSet><maml:alert>$(ConvertTo-Paragraphs $prose.Notes)</maml:alert></maml:alertSet>") }

    [void] $sb.AppendLine('<command:examples>')
    $i = 0
    foreach ($example in @($prose.Examples)) {
        $i++
        [void] $sb.AppendLine("<command:example><maml:title>-------------------------- Example $i`: $(& $e $example.Title) --------------------------</maml:title>")
        [void] $sb.AppendLine("<dev:code>$(& $e $example.Code)</dev:code><dev:remarks>$(ConvertTo-Paragraphs $example.Remarks)</dev:remarks></command:example>")
    }
    [void] $sb.AppendLine('</command:examples>')
    [void] $sb.AppendLine('<command:relatedLinks><maml:navigationLink><maml:linkText>about_E4Upgrade</maml:linkText></maml:navigationLink></command:relatedLinks>')
    [void] $sb.AppendLine('</command:command>')
}
[void] $sb.AppendLine('</helpItems>')

if ($missing.Count) {
    Write-Error ("Help is incomplete:`n  " + ($missing -join "`n  "))
    exit 1
}
New-Item -ItemType Directory -Force (Split-Path $OutputPath) | Out-Null
Set-Content -Path $OutputPath -Value $sb.ToString() -Encoding utf8NoBOM
Write-Host "Help: $OutputPath ($($commands.Count) cmdlets)"
