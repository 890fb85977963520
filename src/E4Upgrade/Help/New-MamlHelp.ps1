#requires -Version 7.2
<#
.SYNOPSIS
    Generates the module's MAML help (E4Upgrade.dll-Help.xml) from the built module's cmdlet metadata plus
    per-cmdlet prose kept in en-US/cmdlets/<Cmdlet-Name>.psd1.
.DESCRIPTION
    Parameter names, types, sets, pipeline input and mandatory flags come from Get-Command, so they cannot
    drift from the code. Synopsis, description, parameter text, examples, inputs, outputs and notes come from
    the prose file. A cmdlet or parameter without prose fails the build: help exists for every one of them.
    Runs the import in a child pwsh so the build process never loads the module.
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

$commonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
$module = Import-Module $ModulePath -PassThru -Force
$commands = Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name

function ConvertTo-Paragraphs([string] $text) {
    $paras = ($text -split '(\r?\n){2,}') | Where-Object { $_.Trim() }
    foreach ($p in $paras) { "<maml:para>$([System.Security.SecurityElement]::Escape($p.Trim()))</maml:para>" }
}

function Get-TypeName([type] $type) {
    if ($type -eq [System.Management.Automation.SwitchParameter]) { return 'SwitchParameter' }
    return $type.FullName
}

$sb = [System.Text.StringBuilder]::new()
[void] $sb.AppendLine('<?xml version="1.0" encoding="utf-8"?>')
[void] $sb.AppendLine('<helpItems schema="maml" xmlns="http://msh">')
$missing = [System.Collections.Generic.List[string]]::new()

foreach ($command in $commands) {
    $sourceFile = Join-Path $HelpSourcePath "$($command.Name).psd1"
    if (-not (Test-Path $sourceFile)) { $missing.Add("$($command.Name): no $sourceFile"); continue }
    $prose = Import-PowerShellDataFile $sourceFile
    foreach ($key in 'Synopsis', 'Description', 'Examples', 'Parameters') {
        if (-not $prose[$key]) { $missing.Add("$($command.Name): no $key") }
    }
    $parameterText = if ($prose.Parameters) { $prose.Parameters } else { @{} }
    $verb, $noun = $command.Name -split '-', 2
    $e = { param($s) [System.Security.SecurityElement]::Escape([string] $s) }

    [void] $sb.AppendLine('<command:command xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10">')
    [void] $sb.AppendLine("<command:details><command:name>$($command.Name)</command:name><command:verb>$verb</command:verb><command:noun>$noun</command:noun>")
    [void] $sb.AppendLine("<maml:description>$(ConvertTo-Paragraphs $prose.Synopsis)</maml:description></command:details>")
    [void] $sb.AppendLine("<maml:description>$(ConvertTo-Paragraphs $prose.Description)</maml:description>")

    [void] $sb.AppendLine('<command:syntax>')
    foreach ($set in $command.ParameterSets) {
        [void] $sb.AppendLine("<command:syntaxItem><maml:name>$($command.Name)</maml:name>")
        foreach ($p in $set.Parameters | Where-Object { $_.Name -notin $commonParameters }) {
            $position = if ($p.Position -ge 0) { $p.Position + 1 } else { 'named' }
            [void] $sb.AppendLine("<command:parameter required=`"$($p.IsMandatory.ToString().ToLower())`" position=`"$position`" pipelineInput=`"$($p.ValueFromPipeline -or $p.ValueFromPipelineByPropertyName)`"><maml:name>$($p.Name)</maml:name><command:parameterValue required=`"true`">$(& $e (Get-TypeName $p.ParameterType))</command:parameterValue></command:parameter>")
        }
        [void] $sb.AppendLine('</command:syntaxItem>')
    }
    [void] $sb.AppendLine('</command:syntax>')

    [void] $sb.AppendLine('<command:parameters>')
    foreach ($name in $command.Parameters.Keys | Where-Object { $_ -notin $commonParameters } | Sort-Object) {
        $meta = $command.Parameters[$name]
        $text = $parameterText[$name]
        if (-not $text) { $missing.Add("$($command.Name) -$name has no description"); $text = '' }
        $attrs = @($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
        $required = [bool] ($attrs | Where-Object Mandatory)
        $byValue = [bool] ($attrs | Where-Object ValueFromPipeline)
        $byName = [bool] ($attrs | Where-Object ValueFromPipelineByPropertyName)
        $pipeline = if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
        $positions = @($attrs | Where-Object { $_.Position -ge 0 } | ForEach-Object { $_.Position + 1 })
        $position = if ($positions) { $positions[0] } else { 'named' }
        $aliases = if ($meta.Aliases.Count) { $meta.Aliases -join ', ' } else { 'None' }
        [void] $sb.AppendLine("<command:parameter required=`"$($required.ToString().ToLower())`" position=`"$position`" pipelineInput=`"$pipeline`" aliases=`"$(& $e $aliases)`"><maml:name>$name</maml:name>")
        [void] $sb.AppendLine("<maml:description>$(ConvertTo-Paragraphs $text)</maml:description>")
        [void] $sb.AppendLine("<command:parameterValue required=`"true`">$(& $e (Get-TypeName $meta.ParameterType))</command:parameterValue>")
        [void] $sb.AppendLine("<dev:type><maml:name>$(& $e (Get-TypeName $meta.ParameterType))</maml:name></dev:type></command:parameter>")
    }
    [void] $sb.AppendLine('</command:parameters>')

    [void] $sb.AppendLine('<command:inputTypes>')
    foreach ($input in @($prose.Inputs)) { if ($input) { [void] $sb.AppendLine("<command:inputType><dev:type><maml:name>$(& $e $input)</maml:name></dev:type></command:inputType>") } }
    [void] $sb.AppendLine('</command:inputTypes><command:returnValues>')
    foreach ($type in @($command.OutputType.Name) + @($prose.Outputs)) { if ($type) { [void] $sb.AppendLine("<command:returnValue><dev:type><maml:name>$(& $e $type)</maml:name></dev:type></command:returnValue>") } }
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
