# Connect-E4Upgrade and Disconnect-E4Upgrade against the Graph simulator: the session every cmdlet uses, what is
# refused (unknown or expired tokens, plain http to other hosts), and that the token never shows in output,
# verbose messages or errors.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force

    function ConvertTo-Base64Url([string] $Text) {
        [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Text)).TrimEnd('=').Replace('+', '-').Replace('/', '_')
    }

    # An unsigned JWT: the simulator accepts it as an opaque bearer token, the module reads tid, appid and exp from it.
    function New-TestJwt([DateTimeOffset] $ExpiresOn) {
        $claims = [ordered]@{ tid = $script:TenantId; appid = $script:AppId; exp = $ExpiresOn.ToUnixTimeSeconds(); nonce = [guid]::NewGuid().ToString('n') }
        (ConvertTo-Base64Url '{"alg":"none","typ":"JWT"}') + '.' + (ConvertTo-Base64Url ($claims | ConvertTo-Json -Compress)) + '.' + (ConvertTo-Base64Url ([guid]::NewGuid().ToString()))
    }

    # Whatever a user can see must not contain the token, nor its payload or signature segment.
    function Assert-NoToken([string] $Text, [string] $Token = $script:Token) {
        foreach ($secret in @($Token) + @($Token.Split('.') | Select-Object -Skip 1)) {
            $Text.Contains($secret) | Should -BeFalse -Because "no token may appear in: $Text"
        }
    }

    function Connect-Simulator { Connect-E4Upgrade -AccessToken (New-SecureToken $script:Token) -GraphEndpoint $script:Simulator.GraphUrl @args }

    $script:TenantId = [guid]::NewGuid().ToString()
    $script:AppId = [guid]::NewGuid().ToString()
    $script:Token = New-TestJwt ([DateTimeOffset]::UtcNow.AddHours(1))
    $script:Simulator = Start-TestSimulator -Arguments @('--users', '10') -Token $script:Token
    $script:Cmdlets = 'E4Upgrade.Cmdlets'
}

AfterAll {
    Disconnect-E4Upgrade
    Stop-TestSimulator $script:Simulator
}

Describe 'Connect-E4Upgrade -AccessToken' {
    BeforeEach {
        Disconnect-E4Upgrade
        Reset-Simulator $script:Simulator
    }

    It 'returns the connection after one read, with the tenant and app from the token and no token anywhere' {
        $output = @(Connect-Simulator -Verbose 4>&1)
        $connection = @($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $verbose = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)

        $connection.Count | Should -Be 1
        $connection[0].PSObject.TypeNames[0] | Should -Be 'E4Upgrade.Output.E4UpgradeConnection'
        $connection[0].PSObject.Properties.Name | Should -Be @('AuthMethod', 'TenantId', 'ClientId', 'GraphEndpoint', 'ConnectedAt')
        $connection[0].AuthMethod | Should -Be 'AccessToken'
        $connection[0].TenantId | Should -Be $script:TenantId
        $connection[0].ClientId | Should -Be $script:AppId
        $connection[0].GraphEndpoint | Should -Be $script:Simulator.GraphUrl
        ([DateTimeOffset]::UtcNow - $connection[0].ConnectedAt).TotalSeconds | Should -BeLessThan 60
        # Verbose tells where it connects, how and with which scope, then what it found (the tenant's 5 SKUs).
        $verbose.Count | Should -Be 2
        $verbose[0] | Should -Match ([regex]::Escape($script:Simulator.GraphUrl))
        $verbose[0] | Should -Match 'AccessToken'
        $verbose[0] | Should -Match ([regex]::Escape("$($script:Simulator.RootUrl)/.default"))
        $verbose[1] | Should -Match ([regex]::Escape($script:Simulator.GraphUrl))
        $verbose[1] | Should -Match '\b5\b'

        $stats = Get-SimulatorStats $script:Simulator
        $stats.requests | Should -Be 1
        $stats.unauthorized | Should -Be 0
        Assert-NoToken ($connection | Format-List * | Out-String)
        Assert-NoToken ($connection | ConvertTo-Json)
        Assert-NoToken ($verbose -join "`n")
    }

    It 'keeps the session for the other cmdlets, whose verbose output carries no token either' {
        Connect-Simulator | Out-Null
        $subscription = @(Get-E4Subscription -Verbose 4>&1)
        $e4 = @($subscription | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $e4.SkuPartNumber | Should -Be 'ENTERPRISEWITHSCAL'
        $e4.Enabled | Should -Be 10

        $move = @('user00001@contoso.onmicrosoft.com' | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -WhatIf -Verbose 4>&1 6>$null)
        @($move | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Status | Should -Be 'WouldMove'
        Assert-NoToken (($subscription + $move | Out-String))
        (Get-SimulatorStats $script:Simulator).writes | Should -Be 0
    }

    It 'replaces an earlier session when called again' {
        Connect-Simulator | Out-Null
        $second = Connect-Simulator
        $second.GraphEndpoint | Should -Be $script:Simulator.GraphUrl
        @(Get-E4Subscription).Count | Should -Be 1
    }
}

Describe 'Refused sign-ins' {
    BeforeEach {
        Disconnect-E4Upgrade
        Reset-Simulator $script:Simulator
    }

    It 'an unknown token fails with TokenExpired (AuthenticationError) from the first read and keeps no session' {
        $unknown = New-TestJwt ([DateTimeOffset]::UtcNow.AddHours(1))
        $err = Get-CaughtError { Connect-E4Upgrade -AccessToken (New-SecureToken $unknown) -GraphEndpoint $script:Simulator.GraphUrl }

        $err.FullyQualifiedErrorId | Should -Be "TokenExpired,$($script:Cmdlets).ConnectE4UpgradeCommand"
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match 'HTTP 401 InvalidAuthenticationToken'
        $err.Exception.Message | Should -Not -Match '\n\s+at '
        Assert-NoToken ($err | Out-String) -Token $unknown
        Assert-NoToken $err.Exception.Message -Token $unknown
        $stats = Get-SimulatorStats $script:Simulator
        $stats.requests | Should -Be 1
        $stats.unauthorized | Should -Be 1

        (Get-CaughtError { Get-E4Subscription }).FullyQualifiedErrorId | Should -Be "NotConnected,$($script:Cmdlets).GetE4SubscriptionCommand"
    }

    It 'a token that expired by its own exp claim fails with TokenExpired before any request' {
        $expired = New-TestJwt ([DateTimeOffset]::UtcNow.AddMinutes(-5))
        $err = Get-CaughtError { Connect-E4Upgrade -AccessToken (New-SecureToken $expired) -GraphEndpoint $script:Simulator.GraphUrl }

        $err.FullyQualifiedErrorId | Should -Be "TokenExpired,$($script:Cmdlets).ConnectE4UpgradeCommand"
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        Assert-NoToken ($err | Out-String) -Token $expired
        (Get-SimulatorStats $script:Simulator).requests | Should -Be 0
    }

    It 'plain http to a non-loopback host is refused with InvalidGraphEndpoint and no connection is made' {
        $address = [System.Net.NetworkInformation.NetworkInterface]::GetAllNetworkInterfaces() |
            Where-Object OperationalStatus -EQ 'Up' |
            ForEach-Object { $_.GetIPProperties().UnicastAddresses.Address } |
            Where-Object { $_.AddressFamily -eq 'InterNetwork' -and -not [System.Net.IPAddress]::IsLoopback($_) } |
            Select-Object -First 1
        $address | Should -Not -BeNullOrEmpty -Because 'the test listens on a non-loopback address of this machine'
        $listener = [System.Net.Sockets.TcpListener]::new($address, 0)
        $listener.Start()
        try {
            $endpoint = "http://$($address):$($listener.LocalEndpoint.Port)/v1.0"
            $err = Get-CaughtError { Connect-E4Upgrade -AccessToken (New-SecureToken $script:Token) -GraphEndpoint $endpoint }
            # Connect-E4Upgrade answers only after its own call, so a connection it made is already queued here; and it
            # kept no session (Get-E4Subscription below is NotConnected), so nothing can reach the endpoint later.
            $listener.Pending() | Should -BeFalse -Because 'nothing may be sent to a refused endpoint'
        } finally {
            $listener.Stop()
        }

        $err.FullyQualifiedErrorId | Should -Be "InvalidGraphEndpoint,$($script:Cmdlets).ConnectE4UpgradeCommand"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeLike "*'$endpoint' uses plain http*"
        Assert-NoToken ($err | Out-String)
        (Get-CaughtError { Get-E4Subscription }).FullyQualifiedErrorId | Should -Be "NotConnected,$($script:Cmdlets).GetE4SubscriptionCommand"
    }

    It 'refuses the endpoint <Endpoint> with InvalidGraphEndpoint' -TestCases @(
        @{ Endpoint = 'http://graph.microsoft.com/v1.0' }
        @{ Endpoint = 'ftp://127.0.0.1/v1.0' }
        @{ Endpoint = 'http://127.0.0.1:5000/' }
        @{ Endpoint = 'http://user:secret@127.0.0.1:5000/v1.0' }
    ) {
        $err = Get-CaughtError { Connect-E4Upgrade -AccessToken (New-SecureToken $script:Token) -GraphEndpoint $Endpoint }
        $err.FullyQualifiedErrorId | Should -Be "InvalidGraphEndpoint,$($script:Cmdlets).ConnectE4UpgradeCommand"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Not -Match 'secret'
    }
}

Describe 'Without a connection' {
    BeforeAll {
        Disconnect-E4Upgrade
        Reset-Simulator $script:Simulator
    }

    It '<Name> fails with NotConnected (ConnectionError)' -TestCases @(
        @{ Name = 'Get-E4Subscription'; Class = 'GetE4SubscriptionCommand'; Command = { Get-E4Subscription } }
        @{ Name = 'Test-E4UpgradeEligibility'; Class = 'TestE4UpgradeEligibilityCommand'; Command = { Test-E4UpgradeEligibility -TargetSku SPE_E5 } }
        @{ Name = 'Move-UserLicense'; Class = 'MoveUserLicenseCommand'; Command = { 'user00001@contoso.onmicrosoft.com' | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 } }
        @{ Name = 'Move-UserLicense -WhatIf'; Class = 'MoveUserLicenseCommand'; Command = { 'user00001@contoso.onmicrosoft.com' | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -WhatIf 6>$null } }
        @{ Name = 'Start-E4Upgrade -WhatIf'; Class = 'StartE4UpgradeCommand'; Command = { Start-E4Upgrade -TargetSku SPE_E5 -WhatIf 6>$null } }
        @{ Name = 'Stop-E4Subscription'; Class = 'StopE4SubscriptionCommand'; Command = { Stop-E4Subscription -TargetSku SPE_E5 } }
    ) {
        $err = Get-CaughtError $Command
        $err.FullyQualifiedErrorId | Should -Be "NotConnected,$($script:Cmdlets).$Class"
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.Exception.Message | Should -Match 'Connect-E4Upgrade' -Because 'the error names the command that fixes it'
        (Get-SimulatorStats $script:Simulator).requests | Should -Be 0
    }
}

Describe 'Disconnect-E4Upgrade' {
    BeforeEach {
        Disconnect-E4Upgrade
        Reset-Simulator $script:Simulator
        Connect-Simulator | Out-Null
    }

    It 'forgets the session: the next cmdlet fails with NotConnected and sends nothing' {
        @(Get-E4Subscription).SkuPartNumber | Should -Be 'ENTERPRISEWITHSCAL'
        Disconnect-E4Upgrade
        $before = (Get-SimulatorStats $script:Simulator).requests
        (Get-CaughtError { Get-E4Subscription }).FullyQualifiedErrorId | Should -Be "NotConnected,$($script:Cmdlets).GetE4SubscriptionCommand"
        (Get-SimulatorStats $script:Simulator).requests | Should -Be $before
    }

    It '-WhatIf keeps the session' {
        Disconnect-E4Upgrade -WhatIf 6>$null
        $before = (Get-SimulatorStats $script:Simulator).requests
        @(Get-E4Subscription).SkuPartNumber | Should -Be 'ENTERPRISEWITHSCAL'
        (Get-SimulatorStats $script:Simulator).requests | Should -BeGreaterThan $before
    }

    It 'without a session says so in verbose output and does not fail' {
        Disconnect-E4Upgrade
        $verbose = @(Disconnect-E4Upgrade -Verbose 4>&1 | ForEach-Object Message)
        $verbose.Count | Should -Be 1 -Because 'it says once that there was nothing to disconnect'
    }
}

Describe 'Connect-E4Upgrade over https (the simulator''s self-signed certificate)' {
    BeforeAll {
        $script:HttpsSimulator = Start-TestSimulator -Https -Arguments @('--users', '10') -Token $script:Token
    }

    AfterAll {
        Disconnect-E4Upgrade
        Stop-TestSimulator $script:HttpsSimulator
    }

    BeforeEach { Disconnect-E4Upgrade }

    It 'connects with -TrustedCertificateThumbprint <Form>, and the other cmdlets use that session' -TestCases @(
        @{ Form = 'as printed'; Transform = { param($t) $t } }
        @{ Form = 'in lower case with colons'; Transform = { param($t) (($t.ToLowerInvariant() -split '(..)' | Where-Object { $_ }) -join ':') } }
    ) {
        $thumbprint = & $Transform $script:HttpsSimulator.CertificateThumbprint
        $output = @(Connect-E4Upgrade -AccessToken (New-SecureToken $script:Token) -GraphEndpoint $script:HttpsSimulator.GraphUrl -TrustedCertificateThumbprint $thumbprint -Verbose 4>&1)
        $connection = @($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $verbose = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)

        $connection.Count | Should -Be 1
        $connection[0].GraphEndpoint | Should -Be $script:HttpsSimulator.GraphUrl
        $verbose | Should -Contain "Trusting the server certificate with thumbprint $($script:HttpsSimulator.CertificateThumbprint) for $($script:HttpsSimulator.GraphUrl)."
        @(Get-E4Subscription).SkuPartNumber | Should -Be 'ENTERPRISEWITHSCAL'
        Assert-NoToken ($output | Out-String)
    }

    It 'without -TrustedCertificateThumbprint fails at once with UntrustedCertificate (SecurityError) and keeps no session' {
        $err = Get-CaughtError { Connect-E4Upgrade -AccessToken (New-SecureToken $script:Token) -GraphEndpoint $script:HttpsSimulator.GraphUrl }

        $err.FullyQualifiedErrorId | Should -Be "UntrustedCertificate,$($script:Cmdlets).ConnectE4UpgradeCommand"
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.Exception.Message | Should -Match '-TrustedCertificateThumbprint'
        $err.Exception.Message | Should -Not -Match '\n\s+at '
        Assert-NoToken ($err | Out-String)
        (Get-CaughtError { Get-E4Subscription }).FullyQualifiedErrorId | Should -Be "NotConnected,$($script:Cmdlets).GetE4SubscriptionCommand"
    }

    It 'trusts only the certificate named: another thumbprint fails with UntrustedCertificate' {
        $other = 'F' * 40
        $err = Get-CaughtError { Connect-E4Upgrade -AccessToken (New-SecureToken $script:Token) -GraphEndpoint $script:HttpsSimulator.GraphUrl -TrustedCertificateThumbprint $other }
        $err.FullyQualifiedErrorId | Should -Be "UntrustedCertificate,$($script:Cmdlets).ConnectE4UpgradeCommand"
    }

    It 'refuses a malformed thumbprint with InvalidCertificateThumbprint (InvalidArgument)' {
        $err = Get-CaughtError { Connect-E4Upgrade -AccessToken (New-SecureToken $script:Token) -GraphEndpoint $script:HttpsSimulator.GraphUrl -TrustedCertificateThumbprint 'CN=E4Upgrade Graph simulator' }
        $err.FullyQualifiedErrorId | Should -Be "InvalidCertificateThumbprint,$($script:Cmdlets).ConnectE4UpgradeCommand"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'refuses a thumbprint with a plain http endpoint (InvalidGraphEndpoint): no certificate is involved there' {
        $err = Get-CaughtError { Connect-E4Upgrade -AccessToken (New-SecureToken $script:Token) -GraphEndpoint $script:Simulator.GraphUrl -TrustedCertificateThumbprint $script:HttpsSimulator.CertificateThumbprint }
        $err.FullyQualifiedErrorId | Should -Be "InvalidGraphEndpoint,$($script:Cmdlets).ConnectE4UpgradeCommand"
        $err.Exception.Message | Should -Match 'needs an https Graph endpoint'
    }
}
