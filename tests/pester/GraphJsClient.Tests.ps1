# Microsoft's Graph JavaScript client (npm @microsoft/microsoft-graph-client, pinned by the committed
# package-lock.json) against the Graph simulator over --https: tests/conformance/graph-js/conformance.test.js, run
# with node's own test runner; each node test is one It here, so it counts in build.ps1 Test's final line.
BeforeDiscovery {
    # The names of the tests in conformance.test.js, in order.
    $script:JsTests = @(
        @{ Number = 1; Name = 'subscribedSkus' }
        @{ Number = 2; Name = 'the assignedLicenses filter, paged through nextLink' }
        @{ Number = 3; Name = 'assignLicense' }
        @{ Number = 4; Name = 'a BatchRequestContent batch with a throttled item' }
        @{ Number = 5; Name = 'the client''s RetryHandler honours Retry-After' }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    $script:Project = (Resolve-Path (Join-Path $PSScriptRoot '../conformance/graph-js')).Path

    # npm ci installs exactly what package-lock.json pins, from the registry the machine's npm is configured with. It is
    # a one-time install: skipped while the install npm recorded (node_modules/.package-lock.json) is newer than both
    # package.json and package-lock.json.
    $installed = Join-Path $script:Project 'node_modules/.package-lock.json'
    $changed = (Get-Item (Join-Path $script:Project 'package*.json') | Measure-Object LastWriteTimeUtc -Maximum).Maximum
    $script:NpmOutput = @('node_modules is up to date with package.json and package-lock.json')
    $script:NpmExit = 0
    if (-not (Test-Path $installed) -or (Get-Item -Force $installed).LastWriteTimeUtc -lt $changed) {
        Push-Location $script:Project
        try {
            $script:NpmOutput = @(& npm ci --no-audit --no-fund 2>&1 | ForEach-Object { "$_" })
            $script:NpmExit = $LASTEXITCODE
        } finally {
            Pop-Location
        }
    }

    # Realistic quotas: three writes and then one a second, refused writes charged, reads metered by tenant size.
    $script:Simulator = Start-TestSimulator -Https -Arguments @('--users', '250', '--write-limit', '3/3', '--refused-write-cost', '1', '--resource-unit-limit', 'auto')
    $script:PemFile = Join-Path ([System.IO.Path]::GetTempPath()) ("e4u-sim-" + [guid]::NewGuid().ToString('n') + '.pem')
    Set-Content -Path $script:PemFile -Value (Get-SimulatorCertificatePem $script:Simulator) -Encoding ascii

    $script:NodeOutput = @()
    $script:NodeExit = -1
    if ($script:NpmExit -eq 0) {
        # The client trusts the simulator's certificate, and only it, through NODE_EXTRA_CA_CERTS.
        $saved = @{ NODE_EXTRA_CA_CERTS = $env:NODE_EXTRA_CA_CERTS; SIMULATOR_ROOT_URL = $env:SIMULATOR_ROOT_URL; SIMULATOR_TOKEN = $env:SIMULATOR_TOKEN }
        $env:NODE_EXTRA_CA_CERTS = $script:PemFile
        $env:SIMULATOR_ROOT_URL = $script:Simulator.RootUrl
        $env:SIMULATOR_TOKEN = $script:Simulator.Token
        Push-Location $script:Project
        try {
            $script:NodeOutput = @(& node --test --test-reporter=tap conformance.test.js 2>&1 | ForEach-Object { "$_" })
            $script:NodeExit = $LASTEXITCODE
        } finally {
            Pop-Location
            foreach ($name in $saved.Keys) { Set-Item "env:$name" -Value $saved[$name] -ErrorAction Ignore; if ($null -eq $saved[$name]) { Remove-Item "env:$name" -ErrorAction Ignore } }
        }
    }
    $script:NodeText = $script:NodeOutput -join "`n"
}

AfterAll {
    Stop-TestSimulator $script:Simulator
    Remove-Item $script:PemFile -ErrorAction Ignore
}

Describe 'The Graph JavaScript client against the simulator over https' -ForEach @(@{ JsTestCount = $script:JsTests.Count }) {
    It 'the committed lockfile pins the client and names no registry' {
        $package = Get-Content -Raw (Join-Path $script:Project 'package.json') | ConvertFrom-Json
        $lock = Get-Content -Raw (Join-Path $script:Project 'package-lock.json')

        $package.dependencies.'@microsoft/microsoft-graph-client' | Should -Match '^\d+\.\d+\.\d+$'
        $lock | Should -Not -Match '"resolved"'
        $lock | Should -Not -Match 'https?://'
        ($lock | ConvertFrom-Json -AsHashtable).packages['node_modules/@microsoft/microsoft-graph-client'].integrity | Should -Match '^sha512-'
    }

    It 'npm ci installs the pinned client' {
        $script:NpmExit | Should -Be 0 -Because ($script:NpmOutput -join "`n")
        $installed = Get-Content -Raw (Join-Path $script:Project 'node_modules/@microsoft/microsoft-graph-client/package.json') | ConvertFrom-Json
        $installed.version | Should -Be (Get-Content -Raw (Join-Path $script:Project 'package.json') | ConvertFrom-Json).dependencies.'@microsoft/microsoft-graph-client'
    }

    It 'node: <Name>' -ForEach $script:JsTests {
        $script:NodeOutput | Should -Contain "ok $Number - $Name" -Because $script:NodeText
    }

    It 'node ran exactly these tests and none failed' {
        $script:NodeExit | Should -Be 0 -Because $script:NodeText
        $script:NodeOutput | Should -Contain "# tests $JsTestCount"
        $script:NodeOutput | Should -Contain '# fail 0'
    }
}
