# -JournalPath as an Azure Blob Storage URL, through the built module (issue 21 item 1): the run writes its journal
# as an append blob in Azurite (Microsoft's storage emulator), the same command resumes from it, Get-E4UpgradeReport
# reads it (records, -Summary, -HtmlPath), a blob that is not a journal is refused and left as it was, and a URL the
# module cannot use gets its own error id without the SAS in it. One simulator, one Azurite.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force

    # An unsigned JWT-shaped token carrying a tid claim: the simulator compares tokens as strings, the module reads tid.
    function New-TenantToken([string] $TenantId) {
        $encode = { param($text) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($text)).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
        $exp = [DateTimeOffset]::UtcNow.AddHours(1).ToUnixTimeSeconds()
        (& $encode '{"alg":"none","typ":"JWT"}') + '.' + (& $encode "{`"tid`":`"$TenantId`",`"exp`":$exp}") + '.sig'
    }

    $script:Azurite = Start-Azurite
    $script:Container = New-AzuriteContainer $script:Azurite
    $script:Sas = Get-AzuriteSas
    $script:Sim = Start-TestSimulator -Arguments @('--users', '12', '--seed', '7') -Token (New-TenantToken '5e4a1c2b-0d3f-4b6a-9c8e-7f1a2b3c4d5e')
    Connect-E4Upgrade -AccessToken (New-SecureToken $script:Sim.Token) -GraphEndpoint $script:Sim.GraphUrl | Out-Null
}

AfterAll {
    Stop-TestSimulator $script:Sim
    Stop-Azurite $script:Azurite
}

Describe 'A journal in blob storage' {
    BeforeAll {
        $script:Url = "$script:Container/e4.jsonl?$script:Sas"
        $script:First = Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath $script:Url -PollInterval 00:00:00.2 -Confirm:$false -WarningAction SilentlyContinue
        $script:WritesAfterFirst = (Get-SimulatorStats $script:Sim).writes
    }

    It 'is written by Start-E4Upgrade as one append blob, named without its SAS' {
        $script:First.State | Should -Be 'Completed'
        $script:First.Moved | Should -BeGreaterThan 0
        $script:First.JournalPath | Should -Be "$script:Container/e4.jsonl"
        Get-AzuriteBlobs $script:Container | Should -Be @('e4.jsonl')
        (Get-AzuriteBlobText "$script:Container/e4.jsonl") | Should -Match '^\{"type":"run","format":"E4Upgrade\.Journal"'
    }

    It 'is continued by the same command, which writes nothing to the tenant again' {
        $again = Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath $script:Url -PollInterval 00:00:00.2 -Confirm:$false -WarningAction SilentlyContinue

        $again.Resumed | Should -BeTrue
        $again.State | Should -Be 'Completed'
        (Get-SimulatorStats $script:Sim).writes | Should -Be $script:WritesAfterFirst
        Get-AzuriteBlobs $script:Container | Should -Be @('e4.jsonl')
    }

    It 'is read by Get-E4UpgradeReport: records, -Summary and -HtmlPath' {
        $records = @(Get-E4UpgradeReport -JournalPath $script:Url)
        $summary = Get-E4UpgradeReport -JournalPath $script:Url -Summary
        $html = Get-E4UpgradeReport -JournalPath $script:Url -HtmlPath (Join-Path $TestDrive 'report.html') -Confirm:$false

        # Direct users the first run moved, and group members.
        @($records | Where-Object Status -eq 'Moved').Count | Should -BeGreaterOrEqual $script:First.Moved
        $records[0].JournalPath | Should -Be "$script:Container/e4.jsonl"
        $summary.Runs | Should -Be 2
        $summary.Completed | Should -BeTrue
        $html.FullName | Should -Exist
        Get-Content -Raw $html.FullName | Should -Not -Match 'sig='
    }

    It 'talks to storage through the module''s own copy of Azure.Storage.Blobs, in its isolated load context' {
        $blobs = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Azure.Storage.Blobs' })

        $blobs.Count | Should -Be 1
        $blobs[0].Location | Should -BeLike '*Dependencies*Azure.Storage.Blobs.dll'
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($blobs[0]) | Should -Not -Be ([System.Runtime.Loader.AssemblyLoadContext]::Default)
    }
}

Describe 'A blob the module cannot use' {
    BeforeEach { Reset-Simulator $script:Sim }

    It 'that is not a journal is refused with NotAJournal and left as it was' {
        $blob = "$script:Container/notes.jsonl"
        $headers = @{ 'x-ms-version' = '2021-08-06'; 'x-ms-blob-type' = 'AppendBlob' }
        Invoke-WebRequest -Method Put -Uri "$blob`?$script:Sas" -Headers $headers | Out-Null
        Invoke-WebRequest -Method Put -Uri "$blob`?comp=appendblock&$script:Sas" -Headers @{ 'x-ms-version' = '2021-08-06' } -Body ([Text.Encoding]::UTF8.GetBytes("just some notes`n")) | Out-Null

        $caught = Get-CaughtError { Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath "$blob`?$script:Sas" -Confirm:$false -WarningAction SilentlyContinue }

        $caught.FullyQualifiedErrorId | Should -BeLike 'NotAJournal,*'
        Get-AzuriteBlobText $blob | Should -Be "just some notes`n"
        (Get-SimulatorStats $script:Sim).writes | Should -Be 0
    }

    It 'gets <Id> from <Cmdlet> for <Name>, with no SAS in the error' -ForEach @(
        @{ Cmdlet = 'Start-E4Upgrade'; Name = 'plain http to a host that is not this computer'; Id = 'InvalidJournalUrl'; Url = 'http://contoso.blob.core.windows.net/journals/e4.jsonl?sv=1&sig=SECRET' }
        @{ Cmdlet = 'Get-E4UpgradeReport'; Name = 'a URL without a blob name'; Id = 'InvalidJournalUrl'; Url = 'https://contoso.blob.core.windows.net/journals?sig=SECRET' }
        @{ Cmdlet = 'Start-E4Upgrade'; Name = 'a URL without a SAS in an -AccessToken session'; Id = 'JournalStorageNoCredential'; Url = 'https://contoso.blob.core.windows.net/journals/e4.jsonl' }
        @{ Cmdlet = 'Start-E4Upgrade'; Name = 'a SAS that may only read'; Id = 'JournalStorageDenied'; Url = 'READONLY' }
        @{ Cmdlet = 'Start-E4Upgrade'; Name = 'a container that does not exist'; Id = 'InvalidJournalUrl'; Url = 'NOCONTAINER' }
        @{ Cmdlet = 'Get-E4UpgradeReport'; Name = 'a blob that does not exist'; Id = 'JournalNotFound'; Url = 'NOBLOB' }
    ) {
        $target = switch ($Url) {
            'READONLY' { "$script:Container/ro.jsonl?$(Get-AzuriteSas -Permissions 'rl')" }
            'NOCONTAINER' { "$($script:Azurite.BlobEndpoint)/absent/e4.jsonl?$script:Sas" }
            'NOBLOB' { "$script:Container/absent.jsonl?$script:Sas" }
            default { $Url }
        }

        $caught = if ($Cmdlet -eq 'Start-E4Upgrade') {
            Get-CaughtError { Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath $target -Confirm:$false -WarningAction SilentlyContinue }
        } else {
            Get-E4UpgradeReport -JournalPath $target -ErrorVariable e -ErrorAction SilentlyContinue | Out-Null; $e[0]
        }

        $caught.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        ($caught | Out-String) + $caught.TargetObject + $caught.Exception.ToString() | Should -Not -Match 'sig='
        (Get-SimulatorStats $script:Sim).writes | Should -Be 0
    }
}
