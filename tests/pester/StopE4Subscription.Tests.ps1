# Stop-E4Subscription against the Graph simulator: refusal while E4 is used, -RemoveFromUsersWithTarget cleanup of users
# who already hold the target (and only them; -Force only skips the question), and the final state after a full upgrade.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'data/upgrade/UpgradeTenant.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:E4Id = '1392051d-0cb9-4b7a-88d5-621fee5e8711'
    $script:E5Id = '06ebc4ee-1bb5-47dd-8120-11324bc54e06'

    function Connect-To($simulator) {
        Connect-E4Upgrade -AccessToken (New-SecureToken $simulator.Token) -GraphEndpoint $simulator.GraphUrl | Out-Null
    }

    # Runs Stop-E4Subscription; returns the ErrorRecord it stopped with (or $null) and its output.
    function Invoke-Stop([hashtable] $Parameters) {
        $caught = $null; $out = $null
        # -ErrorAction SilentlyContinue: a terminating error must come through even so.
        try { $out = Stop-E4Subscription @Parameters -Confirm:$false -ErrorAction SilentlyContinue } catch { $caught = $_ }
        [pscustomobject]@{ Error = $caught; Output = $out }
    }
}

Describe 'Stop-E4Subscription while E4 is still in use (generated tenant)' {
    BeforeAll {
        $script:Gen = Start-TestSimulator -Arguments @('--users', '40')
        $script:GenTenant = Get-SimulatorTenant $script:Gen
        Connect-To $script:Gen
        $script:Result = Invoke-Stop @{ TargetSku = 'SPE_E5' }
    }

    AfterAll { Stop-TestSimulator $script:Gen }

    It 'refuses with a terminating E4StillInUse error' {
        $script:Result.Error | Should -Not -BeNullOrEmpty
        $script:Result.Error.FullyQualifiedErrorId | Should -BeLike 'E4StillInUse,*'
        $script:Result.Output | Should -BeNullOrEmpty
    }

    It 'names the users and the groups that still hold E4' {
        $message = $script:Result.Error.Exception.Message
        $message | Should -Match '40 seats consumed'
        $message | Should -Match 'user00001@contoso\.onmicrosoft\.com'
        foreach ($group in $script:GenTenant.groups) {
            $message | Should -Match ([regex]::Escape("$($group.displayName) ($($group.id))"))
        }
        $message | Should -Match 'Start-E4Upgrade'
        $message | Should -Not -Match '\bat E4Upgrade\.'
    }

    It 'refuses the same with -RemoveFromUsersWithTarget, removing nothing (nobody holds the target yet)' {
        $result = Invoke-Stop @{ TargetSku = 'SPE_E5'; RemoveFromUsersWithTarget = $true }
        $result.Error.FullyQualifiedErrorId | Should -BeLike 'E4StillInUse,*'
        (Get-SimulatorStats $script:Gen).writes | Should -Be 0
    }
}

Describe 'Stop-E4Subscription -RemoveFromUsersWithTarget with leftover E4 next to the target' {
    BeforeAll {
        $tenant = New-UpgradeTenant
        Add-TenantSku $tenant -PartNumber ENTERPRISEWITHSCAL -Seats 10
        Add-TenantSku $tenant -PartNumber SPE_E5 -Seats 10
        Add-TenantSku $tenant -PartNumber ENTERPRISEPACK -Seats 10
        $script:Both = @(1..3 | ForEach-Object { Add-TenantUser $tenant -Name "both$_" -Licenses @('ENTERPRISEWITHSCAL', 'SPE_E5') })
        $script:OnlyE4 = Add-TenantUser $tenant -Name 'only.e4' -Licenses @('ENTERPRISEWITHSCAL')
        $script:OtherSku = Add-TenantUser $tenant -Name 'e4.and.e3' -Licenses @('ENTERPRISEWITHSCAL', 'ENTERPRISEPACK')
        $script:Moved = Add-TenantUser $tenant -Name 'moved' -Licenses @('SPE_E5')
        $script:LeftSim = Start-TestSimulator -Tenant $tenant
        Connect-To $script:LeftSim
    }

    AfterAll { Stop-TestSimulator $script:LeftSim }

    It 'without -RemoveFromUsersWithTarget refuses, says that switch would help, and writes nothing' {
        $result = Invoke-Stop @{ TargetSku = 'SPE_E5' }
        $result.Error.FullyQualifiedErrorId | Should -BeLike 'E4StillInUse,*'
        $result.Error.Exception.Message | Should -Match '3 users hold it directly next to the target'
        $result.Error.Exception.Message | Should -Match '-RemoveFromUsersWithTarget removes E4 from them'
        (Get-SimulatorStats $script:LeftSim).writes | Should -Be 0
    }

    It '-Force alone only means "do not ask": it removes nothing' {
        $result = Invoke-Stop @{ TargetSku = 'SPE_E5'; Force = $true }
        $result.Error.FullyQualifiedErrorId | Should -BeLike 'E4StillInUse,*'
        (Get-SimulatorStats $script:LeftSim).writes | Should -Be 0
    }

    It '-RemoveFromUsersWithTarget -Force -WhatIf removes nothing' {
        $caught = $null
        try { Stop-E4Subscription -TargetSku SPE_E5 -RemoveFromUsersWithTarget -Force -WhatIf -ErrorAction SilentlyContinue } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'E4StillInUse,*'
        (Get-SimulatorStats $script:LeftSim).writes | Should -Be 0
    }

    Context 'with -RemoveFromUsersWithTarget -Force (no question)' {
        BeforeAll {
            $caught = $null; $out = $null
            # No -Confirm:$false: -Force alone must keep ConfirmImpact High from asking (a prompt fails non-interactively).
            try { $out = Stop-E4Subscription -TargetSku SPE_E5 -RemoveFromUsersWithTarget -Force -ErrorAction SilentlyContinue } catch { $caught = $_ }
            $script:ForceResult = [pscustomobject]@{ Error = $caught; Output = $out }
            $script:AfterForce = Get-SimulatorTenant $script:LeftSim
            $script:ForceStats = Get-SimulatorStats $script:LeftSim
        }

        It 'removes E4 from the users who also hold the target, who keep the target' {
            foreach ($user in $script:Both) {
                $after = $script:AfterForce.users | Where-Object id -eq $user.id
                @($after.assignedLicenses.skuId) | Should -Be @($script:E5Id) -Because $user.userPrincipalName
            }
            $script:ForceStats.licenseWrites | Should -Be 3
            $script:ForceStats.usersEverUnlicensed | Should -Be 0
        }

        It 'leaves the users without the target alone' {
            $onlyE4 = $script:AfterForce.users | Where-Object id -eq $script:OnlyE4.id
            @($onlyE4.assignedLicenses.skuId) | Should -Be @($script:E4Id)
            $other = $script:AfterForce.users | Where-Object id -eq $script:OtherSku.id
            @($other.assignedLicenses.skuId | Sort-Object) | Should -Be @($script:E4Id, '6fd2c87f-b296-42f0-b197-1e91e994b900' | Sort-Object)
        }

        It 'still refuses with E4StillInUse for them, naming them and what was removed' {
            $script:ForceResult.Error.FullyQualifiedErrorId | Should -BeLike 'E4StillInUse,*'
            $message = $script:ForceResult.Error.Exception.Message
            $message | Should -Match 'Removed ENTERPRISEWITHSCAL from 3 users who already hold the target'
            $message | Should -Match 'only\.e4@contoso\.onmicrosoft\.com'
            $message | Should -Match 'e4\.and\.e3@contoso\.onmicrosoft\.com'
            $message | Should -Match '2 seats consumed'
        }
    }
}

Describe 'Stop-E4Subscription after a full upgrade' {
    BeforeAll {
        $script:Done = Start-TestSimulator -Arguments @('--users', '60', '--group-delay-ms', '100', '--time-scale', '10')
        Connect-To $script:Done
        Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation US -JournalPath (Join-Path $TestDrive 'done.jsonl') -PollInterval 00:00:00.2 `
            -Confirm:$false -WarningAction SilentlyContinue -ErrorAction Stop | Out-Null
        $script:WritesBefore = (Get-SimulatorStats $script:Done).writes
        $script:Closed = Invoke-Stop @{ TargetSku = 'SPE_E5' }
    }

    AfterAll { Stop-TestSimulator $script:Done }

    It 'returns the closure state: ready to cancel, but not through the API' {
        $script:Closed.Error | Should -BeNullOrEmpty
        $state = $script:Closed.Output
        $state.PSObject.TypeNames[0] | Should -Be 'E4Upgrade.Engine.Upgrade.SubscriptionClosureState'
        $state.SkuPartNumber | Should -Be 'ENTERPRISEWITHSCAL'
        $state.Consumed | Should -Be 0
        $state.ReadyToCancel | Should -BeTrue
        $state.CanCancelThroughApi | Should -BeFalse
        $state.RemovedFromUsers | Should -Be 0
    }

    It 'tells the admin to cancel in the admin center' {
        $script:Closed.Output.NextSteps | Should -Match 'admin center'
        $script:Closed.Output.NextSteps | Should -Match 'Billing > Your products'
        $script:Closed.Output.NextSteps | Should -Match 'no public API'
    }

    It 'writes nothing' {
        (Get-SimulatorStats $script:Done).writes | Should -Be $script:WritesBefore
    }
}
