# The write path under the realistic simulator (issue 10 "Stale reads", "Disabled plans that Graph accepts"; issue 12
# "Success is not confirmed"), through Move-UserLicense and Start-E4Upgrade. Each case uses the realistic profile
# (replication lag, licensing rules, spurious 429s, refused writes charged) and one counted fault injection
# (--inject KIND=N, see tests/E4Upgrade.GraphSimulator/README.md) so the case happens at a known place:
#   (a) a 200 whose answer lacks the target and whose read shows it in state Error is not Moved;
#   (b) a write whose answer was lost after it landed is re-read after the lag: Moved with one license write, and a
#       swap re-sent after a stale re-read (answered 400 "User does not have a corresponding license.") is Moved too;
#   (c) a 400 invalid usage location right after our own usage-location PATCH is retried after the lag;
#   (d) a dependency 400 for a rule the module cannot know in advance is learnt, and the user retried once.
# The module waits 5 s (MoveEngineSettings.ReplicationLag) before a re-read that decides; the simulator's lag is set
# above that in (a) and (b), as nothing bounds it on real Graph, so some of those re-reads are still stale.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'data/upgrade/UpgradeTenant.psm1') -Force
    Import-Module (Get-TestModulePath) -Force

    # Longer than any pause the module makes while a user is still in progress: its 5 s replication wait plus a backoff.
    # Each case's simulator is checked for quiet at the end of the file (the last Describe), counted from when its cmdlet
    # returned, so the cases after it use up that window instead of a wait after each.
    $script:QuietSeconds = 7
    $script:Returned = [ordered]@{}

    function Connect-To($simulator) {
        Connect-E4Upgrade -AccessToken (New-SecureToken $simulator.Token) -GraphEndpoint $simulator.GraphUrl | Out-Null
    }

    function New-WriteTenant([int] $Users, [object[]] $Licenses = @('ENTERPRISEWITHSCAL'), [string] $UsageLocation = 'US') {
        $tenant = New-UpgradeTenant
        Add-TenantSku $tenant -PartNumber ENTERPRISEWITHSCAL -Seats ($Users + 5)
        Add-TenantSku $tenant -PartNumber SPE_E5 -Seats ($Users + 5)
        Add-TenantSku $tenant -PartNumber VISIOCLIENT -Seats ($Users + 5)
        $added = @(Add-TenantUsers $tenant -Count $Users -Licenses $Licenses -UsageLocation $UsageLocation)
        [pscustomobject]@{ Tenant = $tenant; Users = $added }
    }

    function Get-WritesByUser($simulator) {
        $writes = @{}
        foreach ($p in (Invoke-RestMethod "$($simulator.RootUrl)/_simulator/license-writes").licenseWrites.PSObject.Properties) { $writes[$p.Name] = $p.Value }
        $writes
    }

    function Get-TargetStates($simulator, [string] $targetSkuId) {
        $states = @{}
        foreach ($user in (Get-SimulatorTenant $simulator).users) {
            $states[$user.id] = @($user.licenseAssignmentStates | Where-Object skuId -EQ $targetSkuId | ForEach-Object state) -join ','
        }
        $states
    }
}

Describe '(a) A 200 whose answer lacks the target, which a read shows in state Error, is not reported Moved' {
    BeforeAll {
        # 12 users with E4 and Visio (Visio keeps everyone licensed); the first 6 writes land with SPE_E5 in state Error.
        $made = New-WriteTenant -Users 12 -Licenses @('ENTERPRISEWITHSCAL', 'VISIOCLIENT')
        $script:A = Start-TestSimulator -Tenant $made.Tenant -Arguments @('--profile', 'realistic', '--replication-lag-ms', '8000', '--inject', 'error-state=6', '--seed', '11')
        $script:AUsers = $made.Users
        $script:ATarget = Get-TenantSkuId $made.Tenant SPE_E5
        Connect-To $script:A
        $script:AResults = @($made.Users.userPrincipalName | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -ErrorAction SilentlyContinue -ErrorVariable aErrors)
        $script:AErrors = $aErrors
        $script:AReturned = [Diagnostics.Stopwatch]::StartNew()
        $script:AAtReturn = Get-SimulatorStats $script:A
        $script:Returned['A'] = [pscustomobject]@{ Simulator = $script:A; Watch = $script:AReturned; Stats = $script:AAtReturn }
        $script:AStates = Get-TargetStates $script:A $script:ATarget
    }

    It 'injected the error state into six writes' {
        $script:AAtReturn.injectedFaults | Should -Be 6
        @($script:AStates.Values | Where-Object { $_ -eq 'Error' }).Count | Should -Be 6
    }

    It 'reports exactly the users whose SPE_E5 is in state Error as Failed, naming the state, and the others Moved' {
        $script:AResults.Count | Should -Be 12
        foreach ($result in $script:AResults) {
            if ($script:AStates[$result.UserId] -eq 'Error') {
                $result.Status | Should -Be 'Failed' -Because "$($result.UserPrincipalName) holds SPE_E5 only in state Error"
                $result.Reason | Should -Be 'GraphError'
                $result.Message | Should -Match 'state Error with error Other'
            } else {
                $result.Status | Should -Be 'Moved' -Because "$($result.UserPrincipalName): $($result.Message)"
                $script:AStates[$result.UserId] | Should -Be 'Active'
            }
        }
        @($script:AErrors).Count | Should -Be 6
    }

    It 'confirmed by reading after the lag, and some of those reads were still stale' {
        $script:AAtReturn.readsStale | Should -BeGreaterThan 0
    }

    It 'never wrote again after a 200: one write per user (the last Describe shows nothing came after the cmdlet returned)' {
        $script:AAtReturn.writes | Should -Be 12
        $script:AAtReturn.licenseWrites | Should -Be 12
        $script:AAtReturn.usersWithMultipleLicenseWrites | Should -Be 0
        $script:AAtReturn.earlyRetries | Should -Be 0
        $script:AAtReturn.usersEverUnlicensed | Should -Be 0
    }
}

Describe '(b) A write whose answer was lost after it landed' {
    BeforeAll {
        # Every user's first assignLicense lands and is answered 504; the simulator's lag (8 s) outlasts the module's 5 s wait.
        $made = New-WriteTenant -Users 12
        $script:B = Start-TestSimulator -Tenant $made.Tenant -Arguments @('--profile', 'realistic', '--replication-lag-ms', '8000', '--inject', 'lost-answer=12', '--seed', '11')
        $script:BUsers = $made.Users
        Connect-To $script:B
        $script:BOut = @(Start-E4Upgrade -TargetSku SPE_E5 -JournalPath (Join-Path $TestDrive 'lost.jsonl') -PassThru -Confirm:$false -WarningAction SilentlyContinue -ErrorAction SilentlyContinue)
        $script:BReturned = [Diagnostics.Stopwatch]::StartNew()
        $script:BAtReturn = Get-SimulatorStats $script:B
        $script:Returned['B'] = [pscustomobject]@{ Simulator = $script:B; Watch = $script:BReturned; Stats = $script:BAtReturn }
        $script:BRows = @($script:BOut | Where-Object { $_.PSObject.TypeNames[0] -like '*.LicenseMoveResult' })
        $script:BSummary = $script:BOut | Where-Object { $_.PSObject.TypeNames[0] -like '*.UpgradeSummary' }
        $script:BWrites = Get-WritesByUser $script:B
    }

    It 'lost the answer of every first write' {
        $script:BAtReturn.injectedFaults | Should -Be 12
    }

    It 'reports every user Moved, none Failed' {
        $script:BSummary.Succeeded | Should -BeTrue
        $script:BSummary.Failed | Should -Be 0
        $script:BSummary.Moved | Should -Be 12
        @($script:BRows | Where-Object Status -NE 'Moved' | ForEach-Object { "$($_.UserPrincipalName): $($_.Status) $($_.Message)" }) | Should -BeNullOrEmpty
    }

    It 'changed each user''s licenses with exactly one write' {
        foreach ($user in $script:BUsers) { $script:BWrites[$user.id] | Should -Be 1 -Because $user.userPrincipalName }
        $script:BAtReturn.licenseWrites | Should -Be 12
        $script:BAtReturn.usersWithMultipleLicenseWrites | Should -Be 0
    }

    It 're-read only after waiting: at most one swap re-sent per user, after a re-read still stale, and answered "no corresponding license"' {
        $script:BAtReturn.readsStale | Should -BeGreaterThan 0
        @($script:BRows | Where-Object Attempts -GT 2 | ForEach-Object { "$($_.UserPrincipalName): $($_.Attempts) attempts" }) | Should -BeNullOrEmpty
        $resent = @($script:BRows | Where-Object Attempts -EQ 2)
        $resent.Count | Should -BeGreaterThan 0 -Because 'with the lag above the module''s wait, some re-reads are stale and the swap is re-sent'
        # The first write of each user plus one re-send for each re-sent user; the re-sends changed nothing.
        $script:BAtReturn.writes | Should -Be (12 + $resent.Count)
    }

    It 'never retried early and never left a user unlicensed (the last Describe shows nothing came after the cmdlet returned)' {
        $script:BAtReturn.earlyRetries | Should -Be 0
        $script:BAtReturn.usersEverUnlicensed | Should -Be 0
    }
}

Describe '(c) A 400 invalid usage location right after the module''s own usage-location PATCH' {
    BeforeAll {
        # 8 users without a usage location; each first assignLicense after the PATCH sees the location from before.
        $made = New-WriteTenant -Users 8 -UsageLocation ''
        # The profile's own stale usage location (a coin per write) is off: the injection puts it at a known place.
        $script:C = Start-TestSimulator -Tenant $made.Tenant -Arguments @('--profile', 'realistic', '--stale-usage-location', 'off', '--inject', 'stale-usage-location=8', '--seed', '11')
        $script:CUsers = $made.Users
        Connect-To $script:C
        $script:CResults = @($made.Users.userPrincipalName | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -UsageLocation US -ErrorAction SilentlyContinue -ErrorVariable cErrors)
        $script:CErrors = $cErrors
        $script:CReturned = [Diagnostics.Stopwatch]::StartNew()
        $script:CAtReturn = Get-SimulatorStats $script:C
        $script:Returned['C'] = [pscustomobject]@{ Simulator = $script:C; Watch = $script:CReturned; Stats = $script:CAtReturn }
        $script:CTenant = Get-SimulatorTenant $script:C
        $script:CWrites = Get-WritesByUser $script:C
    }

    It 'met the stale usage location once per user' {
        $script:CAtReturn.injectedFaults | Should -Be 8
    }

    It 'retries the license after the lag and moves every user' {
        @($script:CErrors).Count | Should -Be 0 -Because ($script:CErrors -join "`n")
        @($script:CResults | Where-Object Status -NE 'Moved' | ForEach-Object { "$($_.UserPrincipalName): $($_.Status) $($_.Reason) $($_.Message)" }) | Should -BeNullOrEmpty
        $script:CResults.Count | Should -Be 8
        @($script:CResults | ForEach-Object Attempts | Sort-Object -Unique) | Should -Be @(2)
    }

    It 'leaves each user with the usage location and one license write' {
        foreach ($user in $script:CTenant.users) {
            $user.usageLocation | Should -Be 'US'
            $script:CWrites[$user.id] | Should -Be 1 -Because $user.userPrincipalName
        }
        $script:CAtReturn.usersWithMultipleLicenseWrites | Should -Be 0
    }

    It 'never retried early and never left a user unlicensed (the last Describe shows nothing came after the cmdlet returned)' {
        $script:CAtReturn.earlyRetries | Should -Be 0
        $script:CAtReturn.usersEverUnlicensed | Should -Be 0
    }
}

Describe '(d) A dependency 400 for a rule the module cannot know in advance' {
    BeforeAll {
        # A rule made up for this test (no source: it only has to be one no client knows): Whiteboard (Plan 3) needs Sway.
        # Users 1-6 have Sway disabled on E4, so their SPE_E5 has it disabled too and Graph refuses Whiteboard without it.
        $rules = Join-Path $TestDrive 'rules.json'
        '{ "dependencies": [ { "plan": "WHITEBOARD_PLAN3", "requiresAnyOf": [ "SWAY" ], "source": "None: made up for WritePath.Tests.ps1, a rule no client can know in advance." } ] }' |
            Set-Content -Path $rules -Encoding utf8NoBOM
        $tenant = New-UpgradeTenant
        Add-TenantSku $tenant -PartNumber ENTERPRISEWITHSCAL -Seats 20
        Add-TenantSku $tenant -PartNumber SPE_E5 -Seats 20
        $script:DNoSway = @(Add-TenantUsers $tenant -Count 6 -Prefix 'nosway' -Licenses @(@{ Sku = 'ENTERPRISEWITHSCAL'; Disabled = @('SWAY') }))
        $script:DPlain = @(Add-TenantUsers $tenant -Count 4 -Prefix 'plain')
        # A fixed replication lag (the profile's long tail off): this case is the dependency 400; a read still stale after
        # the module's 5 s replication wait would leave a moved user counted in DirectHoldersLeft.
        $script:D = Start-TestSimulator -Tenant $tenant -Arguments @('--profile', 'realistic', '--replication-lag-p99-ms', '0', '--extra-licensing-rules', $rules, '--seed', '11')
        $script:DWhiteboard = Get-CatalogPlanId SPE_E5 WHITEBOARD_PLAN3
        $script:DTarget = Get-TenantSkuId $tenant SPE_E5
        Connect-To $script:D
        $script:DOut = @(Start-E4Upgrade -TargetSku SPE_E5 -JournalPath (Join-Path $TestDrive 'rules.jsonl') -PassThru -Confirm:$false -WarningAction SilentlyContinue -ErrorAction SilentlyContinue)
        $script:DReturned = [Diagnostics.Stopwatch]::StartNew()
        $script:DAtReturn = Get-SimulatorStats $script:D
        $script:Returned['D'] = [pscustomobject]@{ Simulator = $script:D; Watch = $script:DReturned; Stats = $script:DAtReturn }
        $script:DRows = @($script:DOut | Where-Object { $_.PSObject.TypeNames[0] -like '*.LicenseMoveResult' })
        $script:DSummary = $script:DOut | Where-Object { $_.PSObject.TypeNames[0] -like '*.UpgradeSummary' }
        $script:DTenant = Get-SimulatorTenant $script:D
    }

    It 'met Graph''s dependency refusal' {
        $script:DAtReturn.dependencyViolations | Should -BeGreaterThan 0
    }

    It 'moves every user, none Failed' {
        $script:DSummary.Succeeded | Should -BeTrue
        $script:DSummary.Moved | Should -Be 10
        @($script:DRows | Where-Object Status -NE 'Moved' | ForEach-Object { "$($_.UserPrincipalName): $($_.Status) $($_.Reason) $($_.Message)" }) | Should -BeNullOrEmpty
    }

    It 'shows Whiteboard in AdjustedPlans for the users without Sway, disabled on their SPE_E5, and for nobody else' {
        foreach ($row in $script:DRows) {
            $user = $script:DTenant.users | Where-Object id -EQ $row.UserId
            $target = $user.assignedLicenses | Where-Object skuId -EQ $script:DTarget
            if ($row.UserPrincipalName -like 'nosway*') {
                $row.AdjustedPlans | Should -Match 'WHITEBOARD_PLAN3' -Because $row.UserPrincipalName
                @($target.disabledPlans) | Should -Contain $script:DWhiteboard
            } else {
                $row.AdjustedPlans | Should -BeNullOrEmpty -Because $row.UserPrincipalName
                @($target.disabledPlans) | Should -Not -Contain $script:DWhiteboard
            }
        }
    }

    It 'retried each refused user once, and learnt the rule for the users after them' {
        @($script:DRows | Where-Object Attempts -GT 2 | ForEach-Object UserPrincipalName) | Should -BeNullOrEmpty
        $retried = @($script:DRows | Where-Object Attempts -EQ 2)
        $retried.Count | Should -Be $script:DAtReturn.dependencyViolations
        @($retried | Where-Object { $_.UserPrincipalName -notlike 'nosway*' }) | Should -BeNullOrEmpty
        $script:DAtReturn.writes | Should -Be (10 + $retried.Count)
    }

    It 'one license write per user, no early retry, nobody unlicensed (the last Describe shows nothing came after the cmdlet returned)' {
        $script:DAtReturn.licenseWrites | Should -Be 10
        $script:DAtReturn.usersWithMultipleLicenseWrites | Should -Be 0
        $script:DAtReturn.earlyRetries | Should -Be 0
        $script:DAtReturn.usersEverUnlicensed | Should -Be 0
    }
}

Describe 'After each cmdlet returned' {
    BeforeAll {
        $script:Quiet = [ordered]@{}
        foreach ($case in $script:Returned.Keys) {
            $returned = $script:Returned[$case]
            $script:Quiet[$case] = Wait-SimulatorQuiet $returned.Simulator -QuietSeconds $script:QuietSeconds -Since $returned.Watch
        }
    }

    AfterAll { foreach ($returned in $script:Returned.Values) { Stop-TestSimulator $returned.Simulator } }

    It 'case <_> sent nothing more: no request and no license write after its cmdlet returned' -ForEach @('A', 'B', 'C', 'D') {
        $script:Returned.Keys | Should -Contain $_
        $script:Quiet[$_].requests | Should -Be $script:Returned[$_].Stats.requests
        $script:Quiet[$_].licenseWrites | Should -Be $script:Returned[$_].Stats.licenseWrites
    }
}
