# Shared fixtures for the Pester suite: the built module's path, the Graph simulator as a process on loopback,
# and a fresh pwsh for tests that must not share a process with an already-loaded module.

$script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-TestModulePath {
    if ($env:E4UPGRADE_MODULE_PATH) { return $env:E4UPGRADE_MODULE_PATH }
    return Join-Path $script:RepositoryRoot 'out/E4Upgrade/E4Upgrade.psd1'
}

function Get-TestSimulatorPath {
    if ($env:E4UPGRADE_SIMULATOR_PATH) { return $env:E4UPGRADE_SIMULATOR_PATH }
    return Join-Path $script:RepositoryRoot 'out/GraphSimulator/E4Upgrade.GraphSimulator.dll'
}

function Start-TestSimulator {
    <#
    .SYNOPSIS
        The one way the Pester suite, the demo and the upgrade fixtures start the Graph simulator: a process on a free
        loopback port. Returns GraphUrl, RootUrl, Token, ReadToken, Process, LogFile and, with -Https,
        CertificateThumbprint.
    .DESCRIPTION
        The simulator binds port 0 itself and prints where it listens once ready ("Graph simulator listening on
        <url>/v1.0", then with -Https "Certificate thumbprint (SHA-1): <hex>"); both are read from its output, so no
        port is picked in advance and no other process can take it in between.
    .PARAMETER Tenant
        A tenant object in the --tenant shape (e.g. from New-UpgradeTenant or Get-GeneratedTenant), saved to a
        temporary file and loaded instead of a generated tenant.
    .NOTES
        The /_simulator helpers below speak plain http; over -Https use Get-SimulatorCertificatePem.
    #>
    param(
        [string[]] $Arguments = @('--users', '50'),
        [object] $Tenant,
        [string] $Token = ('test-token-' + [guid]::NewGuid().ToString('n')),
        [string] $ReadToken,
        [switch] $Https
    )
    $dll = Get-TestSimulatorPath
    if (-not (Test-Path $dll)) { throw "Graph simulator not built: $dll" }
    $logFile = [System.IO.Path]::GetTempFileName()
    $allArgs = @($dll, '--urls', $(if ($Https) { 'https://127.0.0.1:0' } else { 'http://127.0.0.1:0' }), '--token', $Token) + $Arguments
    if ($null -ne $Tenant) {
        $tenantFile = "$logFile.tenant.json"
        $Tenant | ConvertTo-Json -Depth 20 | Set-Content -Path $tenantFile -Encoding utf8NoBOM
        $allArgs += @('--tenant', $tenantFile)
    }
    if ($Https) { $allArgs += '--https' }
    if ($ReadToken) { $allArgs += @('--read-token', $ReadToken) }
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $allArgs -PassThru -RedirectStandardOutput $logFile -RedirectStandardError "$logFile.err"
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while ([DateTime]::UtcNow -lt $deadline) {
        $log = Get-Content -Raw $logFile -ErrorAction Ignore
        if ($log -match 'Graph simulator listening on (\S+)/v1\.0') {
            $root = $Matches[1]
            $thumbprint = if ($log -match 'Certificate thumbprint \(SHA-1\): ([0-9A-F]{40})') { $Matches[1] }
            if (-not $Https -or $thumbprint) {
                return [pscustomobject]@{ GraphUrl = "$root/v1.0"; RootUrl = $root; Token = $Token; ReadToken = $ReadToken; Process = $process; LogFile = $logFile; CertificateThumbprint = $thumbprint }
            }
        }
        if ($process.HasExited) { throw "Graph simulator exited: $log $(Get-Content -Raw "$logFile.err" -ErrorAction Ignore)" }
        Start-Sleep -Milliseconds 100
    }
    Stop-Process -Id $process.Id -Force -ErrorAction Ignore
    throw "Graph simulator did not start within 60 s: $(Get-Content -Raw $logFile)"
}

function Get-SimulatorCertificatePem($Simulator) {
    <#
    .SYNOPSIS
        The PEM of an -Https simulator's certificate, from /_simulator/certificate. The download cannot be checked
        before the certificate is known, so the certificate it brings is checked instead: its thumbprint must be the
        one the simulator printed at start, or this throws.
    #>
    $served = Invoke-RestMethod -Uri "$($Simulator.RootUrl)/_simulator/certificate" -SkipCertificateCheck -TimeoutSec 30
    $certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem($served.pem)
    if ($certificate.Thumbprint -ne $Simulator.CertificateThumbprint) {
        throw "The certificate served ($($certificate.Thumbprint)) is not the one the simulator printed ($($Simulator.CertificateThumbprint))."
    }
    $served.pem
}

function Invoke_RestMethod_Quiet([string] $Uri, [string] $Method = 'Get', $Body) {
    $params = @{ Uri = $Uri; Method = $Method; TimeoutSec = 30 }
    if ($null -ne $Body) { $params.Body = ($Body | ConvertTo-Json -Depth 20); $params.ContentType = 'application/json' }
    Invoke-RestMethod @params
}

function Stop-TestSimulator($Simulator) {
    if ($Simulator -and $Simulator.Process -and -not $Simulator.Process.HasExited) {
        Stop-Process -Id $Simulator.Process.Id -Force -ErrorAction Ignore
        $Simulator.Process.WaitForExit(10000) | Out-Null
    }
}

function Get-SimulatorTenant($Simulator) { Invoke_RestMethod_Quiet "$($Simulator.RootUrl)/_simulator/tenant" }
function Get-SimulatorStats($Simulator) { Invoke_RestMethod_Quiet "$($Simulator.RootUrl)/_simulator/stats" }
function Reset-Simulator($Simulator) { Invoke_RestMethod_Quiet "$($Simulator.RootUrl)/_simulator/reset" -Method Post | Out-Null }
function Invoke-SimulatorControl($Simulator, [string] $Path, $Body) { Invoke_RestMethod_Quiet "$($Simulator.RootUrl)/_simulator/$Path" -Method Post -Body $Body }

function Invoke-FreshPwsh {
    <#
    .SYNOPSIS
        Runs a script in a new pwsh process; returns its output lines and exit code.
    #>
    param([Parameter(Mandatory)] [string] $Script, [int] $TimeoutSeconds = 120)
    $file = Join-Path ([System.IO.Path]::GetTempPath()) ("e4u-" + [guid]::NewGuid().ToString('n') + '.ps1')
    Set-Content -Path $file -Value $Script -Encoding utf8NoBOM
    try {
        $output = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $file 2>&1
        return [pscustomobject]@{ Output = @($output | ForEach-Object { "$_" }); ExitCode = $LASTEXITCODE }
    } finally {
        Remove-Item $file -ErrorAction Ignore
    }
}

function New-SecureToken([string] $Token) { ConvertTo-SecureString -String $Token -AsPlainText -Force }

function Get-GeneratedTenant {
    <#
    .SYNOPSIS
        The tenant a simulator generates from these arguments (e.g. --users 40), read once and the simulator stopped;
        edit it and save it with ConvertTo-Json -Depth 20 for --tenant.
    #>
    param([string[]] $Arguments = @('--users', '50'))
    $simulator = Start-TestSimulator -Arguments $Arguments
    try { Get-SimulatorTenant $simulator } finally { Stop-TestSimulator $simulator }
}

function Get-SimulatorCatalogSku {
    <#
    .SYNOPSIS
        SKUs as the simulator's own catalog has them (skuId, skuPartNumber, servicePlans), read back from a simulator
        started with these part numbers in the tenant file's short form; an unknown part number throws its reason.
    #>
    param([Parameter(Mandatory)] [string[]] $PartNumber)
    $tenant = @{ subscribedSkus = @($PartNumber | ForEach-Object { @{ skuPartNumber = $_; seats = 1 } }); users = @(); groups = @() }
    $simulator = Start-TestSimulator -Arguments @() -Tenant $tenant
    try { (Get-SimulatorTenant $simulator).subscribedSkus } finally { Stop-TestSimulator $simulator }
}

function Get-SimulatorLicenseWrites($Simulator, [string] $User) {
    <# Successful license-changing writes for one user (id or UPN), as the simulator counted them. #>
    (Invoke_RestMethod_Quiet "$($Simulator.RootUrl)/_simulator/users/$([uri]::EscapeDataString($User))/license-writes").licenseWrites
}

function Get-SimulatorLicenseWritesByUser($Simulator) {
    <# Successful license-changing writes of every user, as the simulator counted them: an object with one property per user id. #>
    (Invoke_RestMethod_Quiet "$($Simulator.RootUrl)/_simulator/license-writes").licenseWrites
}

function Start-BackgroundPwsh {
    <#
    .SYNOPSIS
        Starts a script in a new pwsh process and returns at once (Process, OutFile, ErrFile); see Wait-BackgroundPwsh.
        For tests that kill the process (Stop-Process -Force) or change the simulator while it runs.
    #>
    param([Parameter(Mandatory)] [string] $Script)
    $base = Join-Path ([System.IO.Path]::GetTempPath()) ("e4u-bg-" + [guid]::NewGuid().ToString('n'))
    Set-Content -Path "$base.ps1" -Value $Script -Encoding utf8NoBOM
    $process = Start-Process -FilePath 'dotnet' -ArgumentList @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', "$base.ps1") `
        -PassThru -RedirectStandardOutput "$base.out" -RedirectStandardError "$base.err"
    $null = $process.Handle # keeps ExitCode readable after the process ends
    [pscustomobject]@{ Process = $process; ScriptFile = "$base.ps1"; OutFile = "$base.out"; ErrFile = "$base.err" }
}

function Wait-BackgroundPwsh {
    <# .SYNOPSIS Waits for a Start-BackgroundPwsh process (killing it after the timeout); returns Output lines and ExitCode. #>
    param([Parameter(Mandatory)] $Run, [int] $TimeoutSeconds = 120)
    if (-not $Run.Process.WaitForExit($TimeoutSeconds * 1000)) {
        Stop-Process -Id $Run.Process.Id -Force -ErrorAction Ignore
        $Run.Process.WaitForExit(10000) | Out-Null
    }
    $Run.Process.WaitForExit()
    $output = @(Get-Content $Run.OutFile -ErrorAction Ignore) + @(Get-Content $Run.ErrFile -ErrorAction Ignore)
    Remove-Item $Run.ScriptFile, $Run.OutFile, $Run.ErrFile -ErrorAction Ignore
    [pscustomobject]@{ Output = @($output | ForEach-Object { "$_" }); ExitCode = $Run.Process.ExitCode }
}

function Wait-SimulatorWrites {
    <#
    .SYNOPSIS
        Polls the simulator's stats until at least AtLeast writes were admitted; returns the stats, or $null when the
        process ended or the timeout passed first.
    #>
    param([Parameter(Mandatory)] $Simulator, [Parameter(Mandatory)] [int] $AtLeast, $Process, [int] $TimeoutSeconds = 60)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        $stats = Get-SimulatorStats $Simulator
        if ($stats.writes -ge $AtLeast) { return $stats }
        if ($Process -and $Process.HasExited) { return $null }
        # Each poll is a request and a JSON parse in this process: 0.1 s keeps that cheap and the overshoot small.
        Start-Sleep -Milliseconds 100
    }
    $null
}

function Wait-SimulatorQuiet {
    <#
    .SYNOPSIS
        Waits until no request to /v1.0 is in flight and none has arrived or finished for QuietSeconds (real seconds),
        and at least QuietSeconds have passed since the call (or since -Since, a stopwatch started when the client
        returned); returns the stats then. Throws when requests keep coming for TimeoutSeconds: the client never went quiet.
    .DESCRIPTION
        For tests that show a returned or stopped client sends nothing more: take the stats when the cmdlet returns,
        wait for quiet, compare. QuietSeconds must exceed the longest pause the client makes while still running in
        that scenario (the simulator's Retry-After, already divided by --time-scale, and the engine's own retry delays,
        which are real time), so a client that carried on is seen sending, however late the quiet comes.
        With -Since the window is counted from when the client returned, so a file checks its simulators at its end and
        the time its other tests took counts towards the window, instead of waiting the window out after each cmdlet.
    #>
    param([Parameter(Mandatory)] $Simulator, [Parameter(Mandatory)] [double] $QuietSeconds, [int] $TimeoutSeconds = 120,
        [Diagnostics.Stopwatch] $Since)
    $since = if ($Since) { $Since } else { [Diagnostics.Stopwatch]::StartNew() }
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        $stats = Get-SimulatorStats $Simulator
        # Both: quiet that began before the call (a simulator idle since start) must still cover QuietSeconds after it.
        if ($stats.requestsInFlight -eq 0 -and $stats.idleMilliseconds -ge $QuietSeconds * 1000 -and $since.Elapsed.TotalSeconds -ge $QuietSeconds) { return $stats }
        Start-Sleep -Milliseconds 100
    }
    throw "The simulator did not go quiet for $QuietSeconds s within $TimeoutSeconds s: requests kept arriving."
}

function Get-GeneratedUserMap($Tenant) {
    <# A generated tenant's users by number: user00001@... is 1 (also o'brien.user00002, zoë.müller00005). #>
    $byNumber = @{}
    foreach ($user in $Tenant.users) {
        if ($user.userPrincipalName -match '(\d{5})@') { $byNumber[[int] $Matches[1]] = $user }
    }
    $byNumber
}

function Get-SimulatorLicenseView($Simulator) {
    <#
    .SYNOPSIS
        Every user's direct licenses, read back from the simulator: user id -> { Licenses, UsageLocation }, where
        Licenses reads 'SKU' or 'SKU:PLAN,PLAN' (disabled plans by name, sorted), several joined with ' + '.
    #>
    $tenant = Get-SimulatorTenant $Simulator
    $skuNames = @{}; $planNames = @{}
    foreach ($sku in $tenant.subscribedSkus) {
        $skuNames[$sku.skuId] = $sku.skuPartNumber
        foreach ($plan in $sku.servicePlans) { $planNames[$plan.servicePlanId] = $plan.servicePlanName }
    }
    $view = @{}
    foreach ($user in $tenant.users) {
        $licenses = @($user.assignedLicenses | ForEach-Object {
                $plans = @($_.disabledPlans | ForEach-Object { $planNames[$_] } | Sort-Object)
                if ($plans.Count) { "$($skuNames[$_.skuId]):$($plans -join ',')" } else { $skuNames[$_.skuId] }
            } | Sort-Object)
        $view[$user.id] = [pscustomobject]@{ Licenses = $licenses -join ' + '; UsageLocation = $user.usageLocation }
    }
    $view
}

function Get-LicenseViewFingerprint($View, [string[]] $Except = @()) {
    <# A license view as one text, leaving out the users a test expects to change: compare before and after. #>
    ($View.Keys | Where-Object { $_ -notin $Except } | Sort-Object | ForEach-Object { "$_=$($View[$_].Licenses)/$($View[$_].UsageLocation)" }) -join "`n"
}

function Get-CaughtError([scriptblock] $Command) {
    <# The terminating error the command throws; fails the test when it throws none. #>
    try { & $Command | Out-Null } catch { return $_ }
    throw 'The command did not fail.'
}

function Start-Azurite {
    <#
    .SYNOPSIS
        Azurite's blob service (Microsoft's storage emulator, installed by build.ps1 TestTools into out/tools/azurite)
        on a free loopback port, with a fresh data folder and no telemetry. Returns BlobEndpoint (path-style:
        http://127.0.0.1:<port>/devstoreaccount1), Process and DataFolder; stop it with Stop-Azurite.
    .DESCRIPTION
        Azurite binds port 0 itself and prints where it listens; that line is read, so no port is picked in advance.
        With -Https it serves https with a fresh self-signed certificate for 127.0.0.1 (CertificateFile, PEM) and accepts
        bearer tokens (--oauth basic, which Azurite allows over https only): a .NET process trusts it when started with
        SSL_CERT_FILE set to CertificateFile. SAS requests work either way.
    #>
    param([switch] $Https)
    $bin = Join-Path $script:RepositoryRoot ('out/tools/azurite/node_modules/.bin/azurite-blob' + $(if ($IsWindows) { '.cmd' } else { '' }))
    if (-not (Test-Path $bin)) { throw "Azurite is not installed at $($bin): run ./build.ps1 TestTools." }
    $data = Join-Path ([System.IO.Path]::GetTempPath()) ('e4u-azurite-' + [guid]::NewGuid().ToString('n'))
    New-Item -ItemType Directory -Force $data | Out-Null
    $log = Join-Path $data 'azurite.out'
    $arguments = @('--blobHost', '127.0.0.1', '--blobPort', '0', '--location', $data, '--silent', '--loose', '--skipApiVersionCheck', '--disableTelemetry')
    $certificate = $null
    if ($Https) {
        $certificate = Join-Path $data 'cert.pem'
        $key = Join-Path $data 'key.pem'
        & openssl req -x509 -newkey rsa:2048 -nodes -keyout $key -out $certificate -days 1 -subj '/CN=127.0.0.1' `
            -addext 'subjectAltName=IP:127.0.0.1' -addext 'basicConstraints=critical,CA:TRUE' 2>$null
        if ($LASTEXITCODE -ne 0) { throw 'openssl could not make a certificate for Azurite.' }
        $arguments += @('--cert', $certificate, '--key', $key, '--oauth', 'basic')
    }
    $process = Start-Process -FilePath $bin -PassThru -RedirectStandardOutput $log -RedirectStandardError "$log.err" -ArgumentList $arguments
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while ([DateTime]::UtcNow -lt $deadline) {
        if ((Get-Content -Raw $log -ErrorAction Ignore) -match 'listens on (https?://127\.0\.0\.1:\d+)') {
            return [pscustomobject]@{ BlobEndpoint = "$($Matches[1])/devstoreaccount1"; Process = $process; DataFolder = $data; CertificateFile = $certificate }
        }
        if ($process.HasExited) { throw "Azurite exited: $(Get-Content -Raw "$log.err" -ErrorAction Ignore)" }
        Start-Sleep -Milliseconds 50
    }
    Stop-Process -Id $process.Id -Force -ErrorAction Ignore
    throw 'Azurite did not start within 60 s.'
}

function Stop-Azurite($Azurite) {
    if ($Azurite -and $Azurite.Process -and -not $Azurite.Process.HasExited) {
        Stop-Process -Id $Azurite.Process.Id -Force -ErrorAction Ignore
        $Azurite.Process.WaitForExit(10000) | Out-Null
    }
    if ($Azurite) { Remove-Item -Recurse -Force $Azurite.DataFolder -ErrorAction Ignore }
}

function Get-AzuriteSas([string] $Permissions = 'racwdl') {
    <#
    .SYNOPSIS
        An account SAS (blob service, service/container/object) for Azurite's well-known development account, signed
        as https://learn.microsoft.com/rest/api/storageservices/create-account-sas describes (version 2021-08-06).
    #>
    $account = 'devstoreaccount1'
    # Azurite's published development key (https://learn.microsoft.com/azure/storage/common/storage-use-azurite).
    $key = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
    $version = '2021-08-06'
    $expiry = [DateTime]::UtcNow.AddHours(2).ToString('yyyy-MM-ddTHH:mm:ssZ')
    $toSign = "$account`n$Permissions`nb`nsco`n`n$expiry`n`n`n$version`n`n"
    $hmac = [System.Security.Cryptography.HMACSHA256]::new([Convert]::FromBase64String($key))
    $signature = [Convert]::ToBase64String($hmac.ComputeHash([Text.Encoding]::UTF8.GetBytes($toSign)))
    "sv=$version&ss=b&srt=sco&sp=$Permissions&se=$([uri]::EscapeDataString($expiry))&sig=$([uri]::EscapeDataString($signature))"
}

function New-AzuriteContainer($Azurite, [string] $Name = ('j' + [guid]::NewGuid().ToString('n'))) {
    <# Creates a container; returns its URL (no SAS). #>
    $url = "$($Azurite.BlobEndpoint)/$Name"
    Invoke-WebRequest -SkipCertificateCheck -Method Put -Uri "$url`?restype=container&$(Get-AzuriteSas)" -Headers @{ 'x-ms-version' = '2021-08-06' } | Out-Null
    $url
}

function Get-AzuriteBlobs([string] $ContainerUrl) {
    <# The names of the blobs in a container. #>
    [xml] $list = (Invoke-WebRequest -SkipCertificateCheck -Uri "$ContainerUrl`?restype=container&comp=list&$(Get-AzuriteSas)" -Headers @{ 'x-ms-version' = '2021-08-06' }).Content.TrimStart([char] 0xFEFF)
    @($list.EnumerationResults.Blobs.Blob | ForEach-Object { $_.Name })
}

function Get-AzuriteBlobText([string] $BlobUrl) {
    <# A blob's content as text (no SAS in the URL given). #>
    $response = Invoke-WebRequest -SkipCertificateCheck -Uri "$BlobUrl`?$(Get-AzuriteSas)" -Headers @{ 'x-ms-version' = '2021-08-06' }
    if ($response.Content -is [byte[]]) { [Text.Encoding]::UTF8.GetString($response.Content) } else { $response.Content }
}

Export-ModuleMember -Function Get-SimulatorLicenseWritesByUser, Get-TestModulePath, Get-TestSimulatorPath, Start-TestSimulator, Stop-TestSimulator, Get-SimulatorTenant, Get-SimulatorCertificatePem,
    Get-SimulatorStats, Reset-Simulator, Invoke-SimulatorControl, Invoke-FreshPwsh, New-SecureToken,
    Get-GeneratedTenant, Get-SimulatorCatalogSku, Get-SimulatorLicenseWrites, Start-BackgroundPwsh, Wait-BackgroundPwsh, Wait-SimulatorWrites, Wait-SimulatorQuiet,
    Get-GeneratedUserMap, Get-SimulatorLicenseView, Get-LicenseViewFingerprint, Get-CaughtError,
    Start-Azurite, Stop-Azurite, Get-AzuriteSas, New-AzuriteContainer, Get-AzuriteBlobs, Get-AzuriteBlobText

function Step-SimulatorClock {
    <#
    .SYNOPSIS
        Moves the simulator's clock of Entra's group processing (start delay, members per second) ahead by Seconds real
        seconds at once (POST /_simulator/clock/advance), instead of waiting for it; a group whose time has come is
        processed then. With --clock held the clock moves only this way.
    #>
    param([Parameter(Mandatory)] $Simulator, [Parameter(Mandatory)] [double] $Seconds)
    Invoke-SimulatorControl $Simulator 'clock/advance' @{ seconds = $Seconds }
}
Export-ModuleMember -Function Step-SimulatorClock

function Start-SimulatorClockPump {
    <#
    .SYNOPSIS
        While a cmdlet runs in this process, moves the simulator's clock of group processing Seconds ahead every
        IntervalMilliseconds (a thread job), so Entra's start delay and pace pass without being waited for; returns the
        job for Stop-SimulatorClockPump. For a test that cannot step the clock itself because the cmdlet it waits on
        sends the swap.
    #>
    param([Parameter(Mandatory)] $Simulator, [double] $Seconds = 15, [int] $IntervalMilliseconds = 250)
    Start-ThreadJob -ArgumentList "$($Simulator.RootUrl)/_simulator/clock/advance", $Seconds, $IntervalMilliseconds -ScriptBlock {
        param($Uri, $Seconds, $IntervalMilliseconds)
        $body = @{ seconds = $Seconds } | ConvertTo-Json
        while ($true) {
            Invoke-RestMethod -Method Post -Uri $Uri -Body $body -ContentType 'application/json' -TimeoutSec 30 | Out-Null
            Start-Sleep -Milliseconds $IntervalMilliseconds
        }
    }
}

function Stop-SimulatorClockPump($Job) {
    <# .SYNOPSIS Stops a Start-SimulatorClockPump job; throws what the job failed with, if it failed. #>
    if (-not $Job) { return }
    $failed = $Job.State -eq 'Failed'
    $Job | Stop-Job -PassThru | Receive-Job -ErrorAction SilentlyContinue -ErrorVariable jobErrors | Out-Null
    $Job | Remove-Job -Force
    if ($failed) { throw "The clock pump failed: $($jobErrors -join '; ')" }
}
Export-ModuleMember -Function Start-SimulatorClockPump, Stop-SimulatorClockPump

function Set-SimulatorTenant {
    <#
    .SYNOPSIS
        One simulator per test file: makes Tenant (the --tenant shape, e.g. from New-UpgradeTenant) the starting tenant of
        a simulator that is already running and resets everything else (POST /_simulator/tenant), as a simulator just
        started with -Tenant would be, without starting a process.
    .DESCRIPTION
        The pattern: start one simulator in the file's top-level BeforeAll (Start-TestSimulator with the command-line
        options the file's tests share), stop it in the file's top-level AfterAll, and in each Describe's BeforeAll call
        Set-SimulatorTenant (or Reset-Simulator to go back to the same starting tenant) instead of starting another.
        What the command line set stays for every tenant (profile, limits, --time-scale, faults, the resource-unit tier
        and throttle scope taken from the first tenant); a Describe that needs other options starts its own simulator.
    #>
    param([Parameter(Mandatory)] $Simulator, [Parameter(Mandatory)] $Tenant)
    Invoke-RestMethod -Method Post -Uri "$($Simulator.RootUrl)/_simulator/tenant" -Body ($Tenant | ConvertTo-Json -Depth 20) `
        -ContentType 'application/json' -TimeoutSec 30 | Out-Null
}
Export-ModuleMember -Function Set-SimulatorTenant

function Wait-TestCondition {
    <#
    .SYNOPSIS
        Polls Condition (a state the simulator, the journal or Azurite exposes) every 0.1 s until it is true: $true, or
        $false once TimeoutSeconds pass or Process (when given) has exited. It waits for a state to arrive; it never
        proves that nothing happened.
    #>
    param([Parameter(Mandatory)] [scriptblock] $Condition, $Process, [int] $TimeoutSeconds = 60)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline -and -not ($Process -and $Process.HasExited)) {
        if (& $Condition) { return $true }
        Start-Sleep -Milliseconds 100
    }
    $false
}
Export-ModuleMember -Function Wait-TestCondition
