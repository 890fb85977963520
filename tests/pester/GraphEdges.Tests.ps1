# Answers that are not Graph's, input rows and cmdlet streams, through the built module against one simulator.
# A small loopback proxy in front of the simulator forwards every call unchanged, except the one a test tells it to
# answer oddly (a redirect, an empty 200), so the module is seen refusing an answer that cannot be Graph's.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Cmdlet = 'E4Upgrade.Cmdlets'

    $script:Simulator = Start-TestSimulator -Arguments @('--users', '20', '--seed', '7')
    $script:U = Get-GeneratedUserMap (Get-SimulatorTenant $script:Simulator)
    # Users holding E4 directly, with a usage location: the ones a plain Move-UserLicense moves.
    $script:Movable = @($script:U.Keys | Sort-Object | ForEach-Object { $script:U[$_] } | Where-Object {
            $_.usageLocation -and @($_.licenseAssignmentStates | Where-Object { -not $_.assignedByGroup }).Count -gt 0
        })

    function Start-AnswerProxy([string] $Upstream) {
        # HttpListener takes no port 0: take a free one from the system and bind it at once (retried if it was taken).
        for ($try = 0; $try -lt 5; $try++) {
            $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
            $listener = [System.Net.HttpListener]::new()
            $listener.Prefixes.Add("http://127.0.0.1:$port/")
            try { $listener.Start(); break } catch { $listener = $null }
        }
        if (-not $listener) { throw 'No free loopback port for the proxy.' }
        $state = [hashtable]::Synchronized(@{ Mode = 'pass'; Seen = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new()) })
        $shell = [powershell]::Create()
        $null = $shell.AddScript({
                param($Listener, $Upstream, $State)
                $client = [System.Net.Http.HttpClient]::new()
                while ($Listener.IsListening) {
                    try { $context = $Listener.GetContext() } catch { break }
                    $request = $context.Request; $response = $context.Response
                    $path = $request.Url.PathAndQuery
                    $null = $State.Seen.Add("$($request.HttpMethod) $path")
                    try {
                        if ($path -like '/elsewhere/*') {
                            # Where a followed redirect would land: an answer that looks like Graph's, with nothing in it.
                            $body = [Text.Encoding]::UTF8.GetBytes('{"value":[]}')
                            $response.ContentType = 'application/json'
                            $response.OutputStream.Write($body, 0, $body.Length)
                        } elseif ($State.Mode -eq 'redirect' -and $path -like '/v1.0/subscribedSkus*') {
                            $response.StatusCode = 307
                            $response.RedirectLocation = "http://$($request.Url.Authority)/elsewhere/subscribedSkus"
                        } elseif ($State.Mode -eq 'empty' -and $path -like '/v1.0/users?*') {
                            $response.StatusCode = 200
                            $response.ContentType = 'application/json'
                            $response.ContentLength64 = 0
                        } else {
                            $forward = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($request.HttpMethod), "$Upstream$path")
                            if ($request.HasEntityBody) {
                                $buffer = [IO.MemoryStream]::new(); $request.InputStream.CopyTo($buffer)
                                $forward.Content = [System.Net.Http.ByteArrayContent]::new($buffer.ToArray())
                                if ($request.ContentType) { $null = $forward.Content.Headers.TryAddWithoutValidation('Content-Type', $request.ContentType) }
                            }
                            foreach ($name in 'Authorization', 'Accept') {
                                if ($request.Headers[$name]) { $null = $forward.Headers.TryAddWithoutValidation($name, $request.Headers[$name]) }
                            }
                            $answer = $client.SendAsync($forward).GetAwaiter().GetResult()
                            $response.StatusCode = [int] $answer.StatusCode
                            foreach ($header in $answer.Headers) {
                                if ($header.Key -notin 'Transfer-Encoding', 'Connection') { $response.Headers[$header.Key] = ($header.Value -join ',') }
                            }
                            $bytes = $answer.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult()
                            if ($answer.Content.Headers.ContentType) { $response.ContentType = $answer.Content.Headers.ContentType.ToString() }
                            $response.ContentLength64 = $bytes.Length
                            $response.OutputStream.Write($bytes, 0, $bytes.Length)
                        }
                    } finally {
                        $response.Close()
                    }
                }
            }).AddArgument($listener).AddArgument($Upstream).AddArgument($state)
        $handle = $shell.BeginInvoke()
        [pscustomobject]@{ GraphUrl = "http://127.0.0.1:$port/v1.0"; State = $state; Listener = $listener; Shell = $shell; Handle = $handle }
    }

    function Stop-AnswerProxy($Proxy) {
        if (-not $Proxy) { return }
        $Proxy.Listener.Stop(); $Proxy.Listener.Close()
        $null = $Proxy.Handle.AsyncWaitHandle.WaitOne(5000)
        $Proxy.Shell.Dispose()
    }

    $script:Proxy = Start-AnswerProxy $script:Simulator.RootUrl
}

AfterAll {
    Disconnect-E4Upgrade
    Stop-AnswerProxy $script:Proxy
    Stop-TestSimulator $script:Simulator
}

Describe 'Answers that are not Graph''s (a proxy in front of the simulator)' {
    BeforeAll {
        Connect-E4Upgrade -AccessToken (New-SecureToken $script:Simulator.Token) -GraphEndpoint $script:Proxy.GraphUrl | Out-Null
    }

    AfterEach {
        $script:Proxy.State.Mode = 'pass'
    }

    It 'a redirect of subscribedSkus: GraphRedirectRefused, not followed, never an empty list of SKUs' {
        $script:Proxy.State.Mode = 'redirect'
        $script:Proxy.State.Seen.Clear()

        $errorRecord = Get-CaughtError { Get-E4Subscription -All }

        $errorRecord.FullyQualifiedErrorId | Should -Be "GraphRedirectRefused,$($script:Cmdlet).GetE4SubscriptionCommand"
        $errorRecord.CategoryInfo.Category | Should -Be 'SecurityError'
        @($script:Proxy.State.Seen | Where-Object { $_ -like '*/elsewhere/*' }).Count | Should -Be 0 -Because 'the redirect is not followed'
    }

    It 'an empty 200 for the user listing: GraphAnswerUnreadable, not "0 users, eligible"' {
        $script:Proxy.State.Mode = 'empty'

        $errorRecord = Get-CaughtError { Test-E4UpgradeEligibility -TargetSku SPE_E5 }

        $errorRecord.FullyQualifiedErrorId | Should -Be "GraphAnswerUnreadable,$($script:Cmdlet).TestE4UpgradeEligibilityCommand"
        $errorRecord.CategoryInfo.Category | Should -Be 'InvalidResult'
    }
}

Describe 'Cmdlet streams and input rows (straight to the simulator)' {
    BeforeAll {
        # Connected without -Verbose: the verbose text of later cmdlets must reach their own -Verbose.
        Connect-E4Upgrade -AccessToken (New-SecureToken $script:Simulator.Token) -GraphEndpoint $script:Simulator.GraphUrl | Out-Null
    }

    BeforeEach {
        Reset-Simulator $script:Simulator
    }

    It 'Move-UserLicense -Verbose after Connect-E4Upgrade shows the engine''s $batch lines' {
        $upn = $script:Movable[0].userPrincipalName

        $verbose = @(Move-UserLicense -User $upn -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)

        $verbose | Where-Object { $_ -like 'POST $batch of 1 write(s): HTTP 200*' } | Should -Not -BeNullOrEmpty
        $verbose | Where-Object { $_ -like 'GET 1 user(s) in $batch*' -or $_ -like 'POST $batch*' } | Should -Not -BeNullOrEmpty
    }

    It 'a $null pipeline item gets its own row (InvalidUserIdentity) beside the valid users' {
        $upn = $script:Movable[1].userPrincipalName

        $results = @(@($upn, $null) | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -ErrorVariable errors -ErrorAction SilentlyContinue)

        $results.Count | Should -Be 2
        ($results | Where-Object UserPrincipalName -EQ $upn).Status | Should -Be 'Moved'
        ($results | Where-Object Reason -EQ 'InvalidUserIdentity').Status | Should -Be 'Failed'
        $errors.FullyQualifiedErrorId | Should -Be "InvalidUserIdentity,$($script:Cmdlet).MoveUserLicenseCommand"
    }

    It 'a hashtable with a UserPrincipalName key is read like an object, and Id=''1'' beside a valid UPN uses the UPN' {
        $first = $script:Movable[2].userPrincipalName
        $second = $script:Movable[3].userPrincipalName

        $results = @(@(@{ UserPrincipalName = $first }, [pscustomobject]@{ Id = '1'; UserPrincipalName = $second }) |
                Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -ErrorVariable errors)

        $errors.Count | Should -Be 0
        $results.Count | Should -Be 2
        $results.Status | Should -Be @('Moved', 'Moved')
        ($results.UserPrincipalName | Sort-Object) | Should -Be (@($first, $second) | Sort-Object)
    }
}
