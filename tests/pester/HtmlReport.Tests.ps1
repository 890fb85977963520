# Get-E4UpgradeReport -HtmlPath, read in a real browser: a small upgrade against the Graph simulator (with users that
# fail for want of a usage location, and groups) and an undo of a few of its users, then the HTML report of its journal loaded by headless Chromium
# (Debian's package; build.ps1 installs it). The numbers on the rendered page are checked against
# Get-E4UpgradeReport -Summary, and a screenshot and a PDF (the print layout) are kept under out/test-results.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Chromium = '/usr/bin/chromium'
    $script:Results = Join-Path $PSScriptRoot '../../out/test-results'
    New-Item -ItemType Directory -Force $script:Results | Out-Null
    $script:Results = (Resolve-Path $script:Results).Path

    # Runs headless Chromium on a file with the given switches; returns its standard output. Its own profile folder, so
    # parallel runs do not share one; no network: every host resolves to nothing, so a page that loads anything fails.
    function Invoke-Chromium([string] $Page, [string[]] $Switches) {
        if (-not (Test-Path $script:Chromium)) {
            throw "Headless Chromium is missing at $script:Chromium: run 'dotnet pwsh ./build.ps1 TestTools' (as root) or 'build.ps1 Test', which install it."
        }
        $start = [System.Diagnostics.ProcessStartInfo]::new($script:Chromium)
        foreach ($argument in @('--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions',
                "--user-data-dir=$(Join-Path $TestDrive ('chromium-' + [guid]::NewGuid().ToString('n')))", '--host-resolver-rules=MAP * ~NOTFOUND') +
            $Switches + @([System.Uri]::new('file://' + $Page).AbsoluteUri)) {
            $start.ArgumentList.Add($argument)
        }
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($start)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit(120000)) {
            $process.Kill($true)
            throw "Chromium did not finish within 2 minutes."
        }
        if ($process.ExitCode -ne 0) { throw "Chromium exited with $($process.ExitCode): $($stderr.Result)" }
        $stdout.Result
    }

    function Get-PageMetric([string] $dom, [string] $name) {
        $match = [regex]::Match($dom, "data-metric=""$name"">([^<]*)<")
        if (-not $match.Success) { throw "The page shows no $name." }
        [System.Net.WebUtility]::HtmlDecode($match.Groups[1].Value)
    }

    $sim = Start-TestSimulator -Arguments @('--users', '60', '--group-delay-ms', '100', '--time-scale', '10')
    try {
        $script:Journal = Join-Path $TestDrive 'run.jsonl'
        Connect-E4Upgrade -AccessToken (New-SecureToken $sim.Token) -GraphEndpoint $sim.GraphUrl | Out-Null
        # Without -UsageLocation: the users with no usage location fail, so the report has failures with next steps.
        Start-E4Upgrade -TargetSku SPE_E5 -AcceptFinding UsageLocationMissing -JournalPath $script:Journal -PollInterval 00:00:00.2 `
            -Confirm:$false -WarningAction SilentlyContinue -ErrorAction SilentlyContinue | Out-Null
        # Then an undo of six moved users, one of whom an admin gave E4 back by hand after the run: the page's undo section.
        $undo = @(Get-E4UpgradeReport -JournalPath $script:Journal | Where-Object { $_.Kind -eq 'User' -and $_.Status -eq 'Moved' -and -not $_.GroupId } | Select-Object -First 6)
        $script:ChangedByHand = $undo[0].UserPrincipalName
        Invoke-RestMethod -Method Post -Uri "$($sim.GraphUrl)/users/$($undo[0].UserId)/assignLicense" -ContentType 'application/json' -Headers @{ Authorization = "Bearer $($sim.Token)" } `
            -Body (@{ addLicenses = @(@{ skuId = '1392051d-0cb9-4b7a-88d5-621fee5e8711'; disabledPlans = @() }); removeLicenses = @() } | ConvertTo-Json -Depth 5) | Out-Null
        $undo | Undo-E4Upgrade -Confirm:$false | Out-Null
    } finally {
        Disconnect-E4Upgrade -Confirm:$false
        Stop-TestSimulator $sim
    }

    $script:Html = Join-Path $script:Results 'html-report.html'
    $script:File = Get-E4UpgradeReport -JournalPath $script:Journal -HtmlPath $script:Html
    $script:Summary = Get-E4UpgradeReport -JournalPath $script:Journal -Summary
    $script:Rows = @(Get-E4UpgradeReport -JournalPath $script:Journal)
    $script:Dom = Invoke-Chromium $script:Html @('--dump-dom')
}

Describe 'Get-E4UpgradeReport -HtmlPath in a browser' {
    It 'writes the file and outputs its FileInfo' {
        $script:File | Should -BeOfType ([System.IO.FileInfo])
        $script:File.FullName | Should -Be $script:Html
        $script:File.Length | Should -BeGreaterThan 0
    }

    It 'the run has what the report must show: moved users, failed users and groups' {
        $script:Summary.Moved | Should -BeGreaterThan 0
        $script:Summary.Failed | Should -BeGreaterThan 0
        $script:Summary.Groups | Should -BeGreaterThan 0
    }

    It 'Chromium renders the page: the DOM it built has the report and the chart' {
        $script:Dom | Should -Match '<h1>License change report: ENTERPRISEWITHSCAL to SPE_E5</h1>'
        $script:Dom | Should -Match '<svg[^>]*role="img"'
        $script:Dom | Should -Match '<polyline class="line"'
    }

    It 'shows <_> as Get-E4UpgradeReport -Summary counts it' -ForEach @('Users', 'Moved', 'AlreadyMoved', 'Skipped', 'Failed', 'Unconfirmed', 'Groups', 'GroupsSwapped', 'GroupsFailed', 'GroupsPending', 'Runs') {
        [int] (Get-PageMetric $script:Dom $_) | Should -Be $script:Summary.$_
    }

    It 'shows the undo''s <_> as Get-E4UpgradeReport -Summary counts it' -ForEach @('Undone', 'UndoSkipped', 'UndoFailed', 'UndoRuns') {
        [int] (Get-PageMetric $script:Dom $_) | Should -Be $script:Summary.$_
    }

    It 'shows the undo: five users given back, and the one changed by hand left alone with its reason' {
        $script:Summary.Undone | Should -Be 5
        $script:Summary.UndoSkipped | Should -Be 1
        $row = [regex]::Match($script:Dom, '<tr data-undo-status="Skipped">(.*?)</tr>', 'Singleline')
        $row.Success | Should -BeTrue
        $row.Groups[1].Value | Should -Match ([regex]::Escape($script:ChangedByHand))
        $row.Groups[1].Value | Should -Match 'UndoChangedSinceRun'
    }

    It 'shows the tenant, from and to of the summary' {
        Get-PageMetric $script:Dom 'Tenant' | Should -Be $script:Summary.Tenant
        Get-PageMetric $script:Dom 'From' | Should -Be $script:Summary.From
        Get-PageMetric $script:Dom 'To' | Should -Be $script:Summary.To
    }

    It 'shows who ran the run and the finding it accepted' {
        Get-PageMetric $script:Dom 'RanBy' | Should -Be "$([Environment]::UserName) on $([Environment]::MachineName)"
        Get-PageMetric $script:Dom 'AcceptedFindings' | Should -Be 'UsageLocationMissing'
    }

    It 'charts every moved user' {
        [int] (Get-PageMetric $script:Dom 'ChartTotal') | Should -Be $script:Summary.Moved
    }

    It 'lists every user and group not moved, each with a next step' {
        $notMoved = @($script:Rows | Where-Object { ($_.Kind -eq 'User' -and $_.Status -notin 'Moved', 'AlreadyMoved') -or ($_.Kind -eq 'Group' -and $_.Status -ne 'Swapped') })
        [int] (Get-PageMetric $script:Dom 'NotMoved') | Should -Be $notMoved.Count
        $failedRows = [regex]::Matches($script:Dom, '<tr data-status="Failed">(.*?)</tr>', 'Singleline')
        $failedRows.Count | Should -Be $script:Summary.Failed
        foreach ($row in $failedRows) {
            $cells = [regex]::Matches($row.Groups[1].Value, '<td>(.*?)</td>', 'Singleline')
            $cells[2].Groups[1].Value | Should -Be 'UsageLocationMissing'
            $cells[5].Groups[1].Value | Should -Match 'usage location'
        }
    }

    It 'lists each group with when its swap was sent and when its members were verified' {
        foreach ($group in @($script:Rows | Where-Object Kind -eq 'Group')) {
            $row = [regex]::Match($script:Dom, "<tr data-group=""$([regex]::Escape($group.GroupId))"">(.*?)</tr>", 'Singleline')
            $row.Success | Should -BeTrue -Because "group $($group.GroupName) is in the report"
            $row.Groups[1].Value | Should -Match '\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC</td><td>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC'
            $row.Groups[1].Value | Should -Match 'Moved \d+'
        }
    }

    It 'loads nothing from anywhere: no script, no link, no address but the SVG namespace' {
        $text = Get-Content -Raw $script:Html
        $text | Should -Not -Match '<script'
        $text | Should -Not -Match '<link'
        @([regex]::Matches($text, 'https?://[^"''\s<]+').Value | Select-Object -Unique) | Should -Be @('http://www.w3.org/2000/svg')
    }

    It 'leaves a screenshot of the page and a PDF of its print layout under out/test-results' {
        $png = Join-Path $script:Results 'html-report.png'
        $pdf = Join-Path $script:Results 'html-report.pdf'
        Remove-Item $png, $pdf -ErrorAction Ignore
        Invoke-Chromium $script:Html @("--screenshot=$png", '--window-size=1280,2000', '--hide-scrollbars') | Out-Null
        Invoke-Chromium $script:Html @("--print-to-pdf=$pdf", '--no-pdf-header-footer') | Out-Null
        $header = [System.IO.File]::ReadAllBytes($png) | Select-Object -First 4
        $header | Should -Be @(0x89, 0x50, 0x4E, 0x47)
        (Get-Item $png).Length | Should -BeGreaterThan 20000
        [System.Text.Encoding]::ASCII.GetString(([System.IO.File]::ReadAllBytes($pdf) | Select-Object -First 5)) | Should -Be '%PDF-'
    }

    It 'refuses a report path in a folder that does not exist with ReportNotWritable' {
        $missing = Join-Path $TestDrive 'no-such-folder/report.html'
        Get-E4UpgradeReport -JournalPath $script:Journal -HtmlPath $missing -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ReportNotWritable,*'
    }

    It '-WhatIf writes no file' {
        $path = Join-Path $TestDrive 'whatif.html'
        Get-E4UpgradeReport -JournalPath $script:Journal -HtmlPath $path -WhatIf | Should -BeNullOrEmpty
        Test-Path $path | Should -BeFalse
    }
}
