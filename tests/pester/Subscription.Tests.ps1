# Get-E4Subscription against the Graph simulator: the E4 row, -TargetSku, -All, an unknown target, CSV export.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'data/upgrade/UpgradeTenant.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:Simulator = Start-TestSimulator -Arguments @('--users', '30', '--target-seats', '25')
    $script:Tenant = Get-SimulatorTenant $script:Simulator
    $script:E4Id = '1392051d-0cb9-4b7a-88d5-621fee5e8711'
    Connect-E4Upgrade -AccessToken (New-SecureToken $script:Simulator.Token) -GraphEndpoint $script:Simulator.GraphUrl | Out-Null
}

AfterAll {
    Disconnect-E4Upgrade -ErrorAction Ignore
    Stop-TestSimulator $script:Simulator
}

Describe 'Get-E4Subscription on a generated tenant' {
    It 'returns one typed E4 row with its status and seats' {
        $rows = @(Get-E4Subscription)
        $rows.Count | Should -Be 1
        $rows[0].PSObject.TypeNames[0] | Should -Be 'E4Upgrade.Engine.Upgrade.SubscriptionSummary'
        $rows[0].Role | Should -Be 'Source'
        $rows[0].SkuPartNumber | Should -Be 'ENTERPRISEWITHSCAL'
        $rows[0].SkuId | Should -Be $script:E4Id
        $rows[0].Status | Should -Be 'Enabled'
        $rows[0].Enabled | Should -Be 30
        $rows[0].Consumed | Should -Be 30
        $rows[0].Available | Should -Be 0
    }

    It 'links the E4 row to the tenant''s one E4 subscription, counted once' {
        $subscription = @($script:Tenant.subscriptions | Where-Object skuId -eq $script:E4Id)
        $subscription.Count | Should -Be 1
        $row = Get-E4Subscription
        $row.TotalLicenses | Should -Be 30
        $row.SubscriptionStatus | Should -Be 'Enabled'
        $row.IsTrial | Should -BeFalse
        # subscribedSkus.subscriptionIds names the same subscription by its commerce id: still one subscription.
        $row.SubscriptionIds | Should -Be $subscription[0].id -Because 'the tenant has one E4 subscription'
        $row.SubscriptionCount | Should -Be 1
    }

    It 'adds the target with -TargetSku' {
        $rows = @(Get-E4Subscription -TargetSku SPE_E5)
        $rows.Count | Should -Be 2
        $rows[0].SkuPartNumber | Should -Be 'ENTERPRISEWITHSCAL'
        $rows[1].Role | Should -Be 'Target'
        $rows[1].SkuPartNumber | Should -Be 'SPE_E5'
        $rows[1].SkuId | Should -Be '06ebc4ee-1bb5-47dd-8120-11324bc54e06'
        $rows[1].Enabled | Should -Be 25
        $rows[1].Consumed | Should -Be 0
        $rows[1].Available | Should -Be 25
    }

    It 'accepts the target as a skuId' {
        $rows = @(Get-E4Subscription -TargetSku 6fd2c87f-b296-42f0-b197-1e91e994b900)
        $rows[1].SkuPartNumber | Should -Be 'ENTERPRISEPACK'
    }

    It 'lists every SKU with -All, E4 first' {
        $rows = @(Get-E4Subscription -All)
        $rows.Count | Should -Be 5
        $rows[0].SkuPartNumber | Should -Be 'ENTERPRISEWITHSCAL'
        @($rows | Where-Object Role -eq 'Source').Count | Should -Be 1
        @($rows | Where-Object Role -eq 'Other').Count | Should -Be 4
        ($rows.SkuPartNumber | Sort-Object) | Should -Be (@($script:Tenant.subscribedSkus.skuPartNumber) | Sort-Object)
    }

    It 'stops with SkuNotFound for a target the tenant does not have' {
        $caught = $null
        try { Get-E4Subscription -TargetSku NO_SUCH_SKU -ErrorAction Stop } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'SkuNotFound,*'
        $caught.Exception.Message | Should -Match 'NO_SUCH_SKU'
        $caught.Exception.Message | Should -Not -Match '\bat E4Upgrade\.'
    }

    It 'exports to CSV with one clean row per SKU (no type names in any cell)' {
        $path = Join-Path $TestDrive 'skus.csv'
        Get-E4Subscription -All | Export-Csv -Path $path -NoTypeInformation
        $rows = @(Import-Csv $path)
        $rows.Count | Should -Be 5
        $rows[0].SkuPartNumber | Should -Be 'ENTERPRISEWITHSCAL'
        $rows[0].Consumed | Should -Be '30'
        $typeNameCells = foreach ($row in $rows) {
            foreach ($property in $row.PSObject.Properties) {
                if ($property.Value -match '^System\.|E4Upgrade\.Engine\.') { "$($property.Name)=$($property.Value)" }
            }
        }
        $typeNameCells | Should -BeNullOrEmpty
    }

    It 'reads only' {
        (Get-SimulatorStats $script:Simulator).writes | Should -Be 0
    }
}

Describe 'Get-E4Subscription on a tenant with two E4 subscriptions and a trial target' {
    BeforeAll {
        $tenant = New-UpgradeTenant
        Add-TenantSku $tenant -PartNumber ENTERPRISEWITHSCAL -Seats 10 -Status Warning -Subscriptions 2
        Add-TenantSku $tenant -PartNumber ENTERPRISEPREMIUM -Seats 10 -Trial
        Add-TenantUsers $tenant -Count 4 | Out-Null
        $script:FileTenant = $tenant
        $script:FileSimulator = Start-TestSimulator -Tenant $tenant
        Connect-E4Upgrade -AccessToken (New-SecureToken $script:FileSimulator.Token) -GraphEndpoint $script:FileSimulator.GraphUrl | Out-Null
    }

    AfterAll {
        Stop-TestSimulator $script:FileSimulator
    }

    It 'shows the E4 status and both linked subscriptions' {
        $row = Get-E4Subscription
        $row.Status | Should -Be 'Warning'
        $row.Consumed | Should -Be 4
        $row.TotalLicenses | Should -Be 10
        $expected = @($script:FileTenant.subscriptions | Where-Object skuPartNumber -eq 'ENTERPRISEWITHSCAL' | ForEach-Object id | Sort-Object)
        @($row.SubscriptionIds -split '; ' | Sort-Object) | Should -Be $expected
        $row.SubscriptionCount | Should -Be 2
    }

    It 'marks the trial target' {
        $target = @(Get-E4Subscription -TargetSku ENTERPRISEPREMIUM)[1]
        $target.SkuPartNumber | Should -Be 'ENTERPRISEPREMIUM'
        $target.IsTrial | Should -BeTrue
    }
}
