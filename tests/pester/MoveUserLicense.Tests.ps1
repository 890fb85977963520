# Move-UserLicense against the Graph simulator: every outcome and error id exactly, with the tenant read back from the
# simulator after each run; and a run of hundreds of users under throttling and injected faults (thousands run in the
# engine's xunit tests, MoveEndToEndTests, and the rate in build.ps1 Bench).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force

    $script:E4 = 'ENTERPRISEWITHSCAL'
    $script:Cmdlet = 'E4Upgrade.Cmdlets.MoveUserLicenseCommand'
    $script:ResultType = 'E4Upgrade.Output.LicenseMoveResult'

    function Connect-TestSimulator($Simulator) {
        Connect-E4Upgrade -AccessToken (New-SecureToken $Simulator.Token) -GraphEndpoint $Simulator.GraphUrl | Out-Null
    }

    # A tenant of 40 generated users with a few made special, given back to the simulator that generated it.
    $script:Simulator = Start-TestSimulator -Arguments @('--users', '40')
    $tenant = Get-SimulatorTenant $script:Simulator
    $e4Sku = $tenant.subscribedSkus | Where-Object skuPartNumber -EQ $script:E4
    $e5Sku = $tenant.subscribedSkus | Where-Object skuPartNumber -EQ 'SPE_E5'
    $plan = { param($Sku, $Name) ($Sku.servicePlans | Where-Object servicePlanName -EQ $Name).servicePlanId }
    $generated = Get-GeneratedUserMap $tenant
    # 3: FORMS_PLAN_E3 maps to FORMS_PLAN_E5; MCOVOICECONF has no counterpart in SPE_E5 and is dropped.
    $generated[3].assignedLicenses = @([pscustomobject]@{ skuId = $e4Sku.skuId; disabledPlans = @((& $plan $e4Sku 'FORMS_PLAN_E3'), (& $plan $e4Sku 'MCOVOICECONF')) })
    # 9: no license at all. 10: already on SPE_E5. (7: no usage location, 31: E4 only through group B, as generated.)
    $generated[9].assignedLicenses = @()
    $generated[10].assignedLicenses = @([pscustomobject]@{ skuId = $e5Sku.skuId; disabledPlans = @() })
    Set-SimulatorTenant $script:Simulator $tenant
    $script:U = Get-GeneratedUserMap (Get-SimulatorTenant $script:Simulator)
    $script:InitialView = Get-SimulatorLicenseView $script:Simulator
    $script:GroupB = ($script:U[31].licenseAssignmentStates | Select-Object -First 1).assignedByGroup
}

AfterAll {
    Disconnect-E4Upgrade
    Stop-TestSimulator $script:Simulator
    Stop-TestSimulator $script:SeatsSimulator
    Stop-TestSimulator $script:LoadSimulator
}

Describe 'Move-UserLicense on hundreds of users under throttling and faults' {
    BeforeAll {
        # 400 users; 300 writes per 15 s, time-scaled 20x (400 writes/s after the first 300), 5% of calls fail.
        $script:LoadSimulator = Start-TestSimulator -Arguments @('--users', '400', '--write-limit', '300/15', '--time-scale', '20', '--latency-ms', '150', '--fault-rate', '0.05', '--seed', '7')
        Connect-TestSimulator $script:LoadSimulator
        $tenant = Get-SimulatorTenant $script:LoadSimulator
        $e4Id = ($tenant.subscribedSkus | Where-Object skuPartNumber -EQ $script:E4).skuId
        $script:LoadIds = @($tenant.users.id)
        $script:DirectIds = @($tenant.users | Where-Object { $_.assignedLicenses.skuId -contains $e4Id } | ForEach-Object id)
    }

    It 'ends with every direct E4 user on the target, each written once, nobody unlicensed, nothing lost' {
        Reset-Simulator $script:LoadSimulator
        $csv = Join-Path $TestDrive 'load.csv'
        $script:LoadIds | ForEach-Object { [pscustomobject]@{ Id = $_ } } | Export-Csv -Path $csv -NoTypeInformation
        $results = @(Import-Csv $csv | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -UsageLocation US -ErrorVariable errors -ErrorAction SilentlyContinue)

        $results.Count | Should -Be $script:LoadIds.Count
        @($results.UserId | Sort-Object -Unique).Count | Should -Be $script:LoadIds.Count
        $moved = @($results | Where-Object Status -EQ 'Moved')
        $moved.Count | Should -Be $script:DirectIds.Count
        $others = @($results | Where-Object Status -NE 'Moved')
        $others.Count | Should -Be ($script:LoadIds.Count - $script:DirectIds.Count)
        $others | ForEach-Object { $_.Reason | Should -Be 'InheritedFromGroup' }
        @($errors | Where-Object FullyQualifiedErrorId -NE "InheritedFromGroup,$($script:Cmdlet)").Count | Should -Be 0

        $view = Get-SimulatorLicenseView $script:LoadSimulator
        $wrong = @($script:DirectIds | Where-Object { $view[$_].Licenses -notlike 'SPE_E5*' -or $view[$_].Licenses -like '*ENTERPRISEWITHSCAL*' })
        $wrong.Count | Should -Be 0 -Because "these users are not on the target alone: $($wrong | Select-Object -First 5)"
        $stats = Get-SimulatorStats $script:LoadSimulator
        $stats.faults | Should -BeGreaterThan 0
        $stats.usersEverUnlicensed | Should -Be 0
        $stats.usersWithMultipleLicenseWrites | Should -Be 0
        $stats.licenseWrites | Should -Be $script:DirectIds.Count
    }

    # The last test on this simulator: a run that failed to stop would keep writing to it. Whether it did is checked at
    # the end of the file (the last Describe), so the tests in between use up the quiet window.
    It '-ErrorAction Stop stops the run at the first failure' {
        Reset-Simulator $script:LoadSimulator
        Invoke-SimulatorControl $script:LoadSimulator 'faults' @{ faultRate = 0 } | Out-Null
        $unknown = [guid]::NewGuid().ToString()
        $collected = [System.Collections.Generic.List[object]]::new()
        $err = Get-CaughtError { @($unknown) + $script:DirectIds | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -UsageLocation US -ErrorAction Stop | ForEach-Object { $collected.Add($_) } }

        $err.FullyQualifiedErrorId | Should -Be "UserNotFound,$($script:Cmdlet)"
        $collected[-1].UserId | Should -Be $unknown
        $collected[-1].Reason | Should -Be 'UserNotFound'
        $script:LoadReturned = [Diagnostics.Stopwatch]::StartNew()
        $script:LoadAtReturn = Get-SimulatorStats $script:LoadSimulator
        $script:LoadAtReturn.licenseWrites | Should -BeLessThan $script:DirectIds.Count
    }
}

Describe 'Move-UserLicense on a small tenant' {
    BeforeAll {
        Connect-TestSimulator $script:Simulator
        $script:Csv = Join-Path $TestDrive 'users.csv'
        1..6 | ForEach-Object { [pscustomobject]@{ UserPrincipalName = $script:U[$_].userPrincipalName; Department = 'Sales' } } |
            Export-Csv -Path $script:Csv -NoTypeInformation -Encoding utf8NoBOM
        $script:Six = 1..6 | ForEach-Object { $script:U[$_].id }
    }

    BeforeEach {
        Reset-Simulator $script:Simulator
    }

    It 'moves Import-Csv users.csv to the target in one write each, carrying and dropping disabled plans' {
        $results = @(Import-Csv $script:Csv | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -ErrorVariable errors)

        $errors.Count | Should -Be 0
        $results.Count | Should -Be 6
        $results | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be $script:ResultType }
        $results.UserId | Sort-Object | Should -Be ($script:Six | Sort-Object)
        foreach ($n in 1..6) { ($results | Where-Object UserId -EQ $script:U[$n].id).UserPrincipalName | Should -Be $script:U[$n].userPrincipalName }
        $results | ForEach-Object {
            $_.Status | Should -Be 'Moved'
            $_.Reason | Should -BeNullOrEmpty
            $_.Attempts | Should -Be 1
            $_.FromSku | Should -Be 'ENTERPRISEWITHSCAL'
            $_.ToSku | Should -Be 'SPE_E5'
        }
        $three = $results | Where-Object UserId -EQ $script:U[3].id
        $three.DisabledPlansBefore | Should -Be 'FORMS_PLAN_E3; MCOVOICECONF'
        $three.DisabledPlansAfter | Should -Be 'FORMS_PLAN_E5'
        $three.DroppedPlans | Should -Be 'MCOVOICECONF'
        $three.Message | Should -BeLike '*dropped: MCOVOICECONF*'
        ($results | Where-Object UserId -NE $script:U[3].id).DroppedPlans | Should -Be @('', '', '', '', '')

        $view = Get-SimulatorLicenseView $script:Simulator
        $view[$script:U[3].id].Licenses | Should -Be 'SPE_E5:FORMS_PLAN_E5'
        foreach ($n in 1, 2, 4, 5, 6) { $view[$script:U[$n].id].Licenses | Should -Be 'SPE_E5' }
        Get-LicenseViewFingerprint $view $script:Six | Should -Be (Get-LicenseViewFingerprint $script:InitialView $script:Six)
        $stats = Get-SimulatorStats $script:Simulator
        $stats.writes | Should -Be 6
        $stats.licenseWrites | Should -Be 6
        $stats.usersEverUnlicensed | Should -Be 0
        $stats.usersWithMultipleLicenseWrites | Should -Be 0
        $skus = (Get-SimulatorTenant $script:Simulator).subscribedSkus
        ($skus | Where-Object skuPartNumber -EQ 'SPE_E5').consumedUnits | Should -Be 7
    }

    It '-WhatIf reads and reports what would happen and writes nothing' {
        $users = @(1..7 | ForEach-Object { $script:U[$_].userPrincipalName }) + $script:U[31].id
        $results = @($users | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -WhatIf -ErrorVariable errors -ErrorAction SilentlyContinue 6>$null)

        $results.Count | Should -Be 8
        ($results | Where-Object UserId -In $script:Six).Status | Should -Be (@('WouldMove') * 6)
        $three = $results | Where-Object UserId -EQ $script:U[3].id
        $three.DisabledPlansAfter | Should -Be 'FORMS_PLAN_E5'
        $three.DroppedPlans | Should -Be 'MCOVOICECONF'
        ($results | Where-Object UserId -EQ $script:U[7].id).Reason | Should -Be 'UsageLocationMissing'
        ($results | Where-Object UserId -EQ $script:U[31].id).Reason | Should -Be 'InheritedFromGroup'
        $errors.FullyQualifiedErrorId | Sort-Object | Should -Be @("InheritedFromGroup,$($script:Cmdlet)", "UsageLocationMissing,$($script:Cmdlet)")

        $stats = Get-SimulatorStats $script:Simulator
        $stats.writes | Should -Be 0
        $stats.licenseWrites | Should -Be 0
        Get-LicenseViewFingerprint (Get-SimulatorLicenseView $script:Simulator) | Should -Be (Get-LicenseViewFingerprint $script:InitialView)
    }

    It '-WhatIf -UsageLocation reports the usage location it would set, and sets nothing' {
        $result = $script:U[7].id | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -UsageLocation DE -WhatIf 6>$null
        $result.Status | Should -Be 'WouldMove'
        $result.Message | Should -BeLike '*usage location would first be set to DE*'
        (Get-SimulatorStats $script:Simulator).writes | Should -Be 0
        Get-LicenseViewFingerprint (Get-SimulatorLicenseView $script:Simulator) | Should -Be (Get-LicenseViewFingerprint $script:InitialView)
    }

    It 'reports <Expected> for <Case>, moves the valid user beside it and changes nothing else' -TestCases @(
        @{ Case = 'an unknown object id'; Number = 0; Key = 'a1b2c3d4-0000-4000-8000-000000000001'; Expected = 'UserNotFound'; Category = 'ObjectNotFound'; Status = 'Failed' }
        @{ Case = 'an unknown userPrincipalName'; Number = 0; Key = 'nobody@contoso.onmicrosoft.com'; Expected = 'UserNotFound'; Category = 'ObjectNotFound'; Status = 'Failed' }
        @{ Case = 'a user without usage location'; Number = 7; Expected = 'UsageLocationMissing'; Category = 'InvalidData'; Status = 'Failed' }
        @{ Case = 'a user licensed through a group'; Number = 31; Expected = 'InheritedFromGroup'; Category = 'InvalidOperation'; Status = 'Skipped' }
        @{ Case = 'a user without the source license'; Number = 9; Expected = 'SourceLicenseNotAssigned'; Category = 'ObjectNotFound'; Status = 'Skipped' }
    ) {
        $bad = if ($Number) { $script:U[$Number].id } else { $Key }
        $good = $script:U[1].id
        $results = @($bad, $good | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -ErrorVariable errors -ErrorAction SilentlyContinue)

        $results.Count | Should -Be 2
        $failed = $results | Where-Object { $_.UserId -eq $bad -or $_.UserPrincipalName -eq $bad }
        $failed.Status | Should -Be $Status
        $failed.Reason | Should -Be $Expected
        $failed.Attempts | Should -Be 0
        ($results | Where-Object UserId -EQ $good).Status | Should -Be 'Moved'
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be "$Expected,$($script:Cmdlet)"
        $errors[0].CategoryInfo.Category | Should -Be $Category
        $errors[0].TargetObject.PSObject.TypeNames[0] | Should -Be $script:ResultType
        $errors[0].TargetObject.Reason | Should -Be $Expected
        $errors[0].Exception.Message | Should -Not -Match '\n\s+at '
        if ($Expected -eq 'InheritedFromGroup') {
            $script:GroupB | Should -Not -BeNullOrEmpty
            $failed.GroupId | Should -Be $script:GroupB
            $errors[0].TargetObject.GroupId | Should -Be $script:GroupB
        }

        $view = Get-SimulatorLicenseView $script:Simulator
        $view[$good].Licenses | Should -Be 'SPE_E5'
        Get-LicenseViewFingerprint $view @($good) | Should -Be (Get-LicenseViewFingerprint $script:InitialView @($good))
        (Get-SimulatorStats $script:Simulator).writes | Should -Be 1
    }

    It 'stops with the terminating error <Expected> for <Case>, before any write' -TestCases @(
        @{ Case = 'an unknown target part number'; Expected = 'SkuNotFound'; Category = 'ObjectNotFound'; Arguments = @{ FromSku = 'ENTERPRISEWITHSCAL'; ToSku = 'SPE_E9' } }
        @{ Case = 'an unknown source part number'; Expected = 'SkuNotFound'; Category = 'ObjectNotFound'; Arguments = @{ FromSku = 'ENTERPRISEWITHSCAL_X'; ToSku = 'SPE_E5' } }
        @{ Case = 'a skuId the tenant lacks'; Expected = 'SkuNotFound'; Category = 'ObjectNotFound'; Arguments = @{ FromSku = 'ENTERPRISEWITHSCAL'; ToSku = '11111111-2222-3333-4444-555555555555' } }
        @{ Case = 'a disabled plan unknown anywhere'; Expected = 'InvalidDisabledPlan'; Category = 'InvalidArgument'; Arguments = @{ FromSku = 'ENTERPRISEWITHSCAL'; ToSku = 'SPE_E5'; DisabledPlans = @('NOT_A_PLAN') } }
        @{ Case = 'a disabled plan of the source, not the target'; Expected = 'InvalidDisabledPlan'; Category = 'InvalidArgument'; Arguments = @{ FromSku = 'ENTERPRISEWITHSCAL'; ToSku = 'SPE_E5'; DisabledPlans = @('FORMS_PLAN_E5', 'FORMS_PLAN_E3') } }
    ) {
        $output = [System.Collections.Generic.List[object]]::new()
        $err = Get-CaughtError { $script:Six | Move-UserLicense @Arguments | ForEach-Object { $output.Add($_) } }

        $err.FullyQualifiedErrorId | Should -Be "$Expected,$($script:Cmdlet)"
        $err.CategoryInfo.Category | Should -Be $Category
        $err.Exception.Message | Should -Not -Match '\n\s+at '
        $output.Count | Should -Be 0
        (Get-SimulatorStats $script:Simulator).writes | Should -Be 0
        Get-LicenseViewFingerprint (Get-SimulatorLicenseView $script:Simulator) | Should -Be (Get-LicenseViewFingerprint $script:InitialView)
    }

    It '-DisabledPlans replaces the mapped plans' {
        $results = @($script:U[3].id, $script:U[4].id | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -DisabledPlans sway, FORMS_PLAN_E5)
        $results.Status | Should -Be @('Moved', 'Moved')
        $results.DisabledPlansAfter | Should -Be @('SWAY; FORMS_PLAN_E5', 'SWAY; FORMS_PLAN_E5')
        $view = Get-SimulatorLicenseView $script:Simulator
        $view[$script:U[3].id].Licenses | Should -Be 'SPE_E5:FORMS_PLAN_E5,SWAY'
        $view[$script:U[4].id].Licenses | Should -Be 'SPE_E5:FORMS_PLAN_E5,SWAY'
    }

    It '-UsageLocation sets it on users who have none, then moves them' {
        $results = @($script:U[7].id, $script:U[8].id | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -UsageLocation de -ErrorVariable errors)

        $errors.Count | Should -Be 0
        $results.Status | Should -Be @('Moved', 'Moved')
        $view = Get-SimulatorLicenseView $script:Simulator
        $view[$script:U[7].id].UsageLocation | Should -Be 'DE'
        $view[$script:U[7].id].Licenses | Should -Be 'SPE_E5'
        $view[$script:U[8].id].UsageLocation | Should -Be $script:InitialView[$script:U[8].id].UsageLocation
        $view[$script:U[8].id].Licenses | Should -Be 'SPE_E5'
        $stats = Get-SimulatorStats $script:Simulator
        $stats.writes | Should -Be 3 -Because 'one PATCH for user 7 and one assignLicense each'
        $stats.licenseWrites | Should -Be 2
    }

    It 'reports AlreadyMoved with no write on a second run, and for a user already on the target' {
        $first = @($script:Six | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5)
        $first.Status | Should -Be (@('Moved') * 6)
        $writes = (Get-SimulatorStats $script:Simulator).writes
        $afterFirst = Get-LicenseViewFingerprint (Get-SimulatorLicenseView $script:Simulator)

        $second = @(@($script:Six) + $script:U[10].id | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -ErrorVariable errors)

        $errors.Count | Should -Be 0
        $second.Count | Should -Be 7
        $second | ForEach-Object {
            $_.Status | Should -Be 'AlreadyMoved'
            $_.Reason | Should -BeNullOrEmpty
            $_.Attempts | Should -Be 0
        }
        ($second | Where-Object UserId -EQ $script:U[3].id).DisabledPlansAfter | Should -Be 'FORMS_PLAN_E5'
        (Get-SimulatorStats $script:Simulator).writes | Should -Be $writes
        Get-LicenseViewFingerprint (Get-SimulatorLicenseView $script:Simulator) | Should -Be $afterFirst
    }

    It 'moves a user named several times (id, UPN, other case) once, with a result row per input' {
        $one = $script:U[1]; $two = $script:U[2]
        $inputs = @($one.id, $one.userPrincipalName, $one.id.ToUpperInvariant(), $one.userPrincipalName.ToUpperInvariant(), $two.userPrincipalName, [pscustomobject]@{ Id = $two.id }, $two.userPrincipalName)
        $results = @($inputs | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -ErrorVariable errors)

        $errors.Count | Should -Be 0
        $results.Count | Should -Be $inputs.Count
        $moved = @($results | Where-Object Status -EQ 'Moved')
        $moved.UserId | Sort-Object | Should -Be (@($one.id, $two.id) | Sort-Object)
        $duplicates = @($results | Where-Object Status -NE 'Moved')
        $duplicates.Count | Should -Be 5
        @($duplicates | Where-Object Reason -NE 'DuplicateInput') | Should -BeNullOrEmpty
        Get-SimulatorLicenseWrites $script:Simulator $one.id | Should -Be 1
        Get-SimulatorLicenseWrites $script:Simulator $two.id | Should -Be 1
        $stats = Get-SimulatorStats $script:Simulator
        $stats.writes | Should -Be 2
        $stats.usersWithMultipleLicenseWrites | Should -Be 0
    }

    It 'binds <Case>' -TestCases @(
        @{ Case = 'a string object id'; Number = 1; Make = { param($u) $u.id } }
        @{ Case = "a string UPN with an apostrophe"; Number = 2; Make = { param($u) $u.userPrincipalName } }
        @{ Case = 'a string UPN with non-ASCII letters'; Number = 5; Make = { param($u) $u.userPrincipalName } }
        @{ Case = 'an object with Id'; Number = 4; Make = { param($u) [pscustomobject]@{ Id = $u.id; DisplayName = 'x' } } }
        @{ Case = 'an object with UserPrincipalName'; Number = 6; Make = { param($u) [pscustomobject]@{ UserPrincipalName = $u.userPrincipalName } } }
        @{ Case = 'an object with UserId'; Number = 8; Make = { param($u) [pscustomobject]@{ UserId = $u.id; Mail = 'x@example.com' } } }
        @{ Case = 'an Import-Csv row with Id'; Number = 12; Make = { param($u) "Id,Name`n$($u.id),x" | ConvertFrom-Csv } }
        @{ Case = 'a result object of an earlier run'; Number = 13; Make = { param($u) [pscustomobject]@{ UserId = $u.id; UserPrincipalName = $u.userPrincipalName; Status = 'Failed' } } }
    ) {
        $user = $script:U[$Number]
        $result = & $Make $user | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5
        $result.UserId | Should -Be $user.id
        $result.UserPrincipalName | Should -Be $user.userPrincipalName
        $result.Status | Should -Be 'Moved'
        (Get-SimulatorLicenseView $script:Simulator)[$user.id].Licenses | Should -Be 'SPE_E5'
    }

    It 'binds an array to -User by position' {
        $results = @(Move-UserLicense $script:U[1].id, $script:U[2].userPrincipalName -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5)
        $results.UserId | Sort-Object | Should -Be (@($script:U[1].id, $script:U[2].id) | Sort-Object)
        $results.Status | Should -Be @('Moved', 'Moved')
    }

    It 'pipes to Export-Csv and re-imports with the expected columns and values' {
        $users = @(1..7 | ForEach-Object { $script:U[$_].id }) + $script:U[31].id
        $path = Join-Path $TestDrive 'results.csv'
        $users | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -ErrorAction SilentlyContinue | Export-Csv -Path $path -NoTypeInformation

        (Get-Content $path -TotalCount 1) | Should -Be '"UserId","UserPrincipalName","Status","Reason","Message","DisabledPlansBefore","DisabledPlansAfter","DroppedPlans","AdjustedPlans","RemovedAddOns","GroupId","Attempts","FromSku","ToSku"'
        $rows = @(Import-Csv $path)
        $rows.Count | Should -Be 8
        $rows.UserId | Sort-Object | Should -Be ($users | Sort-Object)
        $three = $rows | Where-Object UserId -EQ $script:U[3].id
        $three.Status | Should -Be 'Moved'
        $three.DisabledPlansBefore | Should -Be 'FORMS_PLAN_E3; MCOVOICECONF'
        $three.DisabledPlansAfter | Should -Be 'FORMS_PLAN_E5'
        $three.DroppedPlans | Should -Be 'MCOVOICECONF'
        $three.Attempts | Should -Be '1'
        $three.FromSku | Should -Be 'ENTERPRISEWITHSCAL'
        $three.ToSku | Should -Be 'SPE_E5'
        ($rows | Where-Object UserId -EQ $script:U[7].id).Reason | Should -Be 'UsageLocationMissing'
        $group = $rows | Where-Object UserId -EQ $script:U[31].id
        $group.Status | Should -Be 'Skipped'
        $group.Reason | Should -Be 'InheritedFromGroup'
        $group.GroupId | Should -Be $script:GroupB
        ($rows | Where-Object UserId -EQ $script:U[5].id).UserPrincipalName | Should -Be $script:U[5].userPrincipalName
    }
}

Describe 'Move-UserLicense when the target runs out of seats' {
    BeforeAll {
        # Users 1..12: 7 has no usage location, 11 holds E4 through groups; the other 10 compete for 4 seats.
        $script:SeatsSimulator = Start-TestSimulator -Arguments @('--users', '12', '--target-seats', '4')
        Connect-TestSimulator $script:SeatsSimulator
    }

    It 'moves as many users as there are seats and reports every other one InsufficientLicenses, unchanged' {
        $users = Get-GeneratedUserMap (Get-SimulatorTenant $script:SeatsSimulator)
        $before = Get-SimulatorLicenseView $script:SeatsSimulator
        $candidates = @(1..12 | Where-Object { $_ -notin 7, 11 } | ForEach-Object { $users[$_].id })
        $results = @($candidates | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -ErrorVariable errors -ErrorAction SilentlyContinue)

        $results.Count | Should -Be 10
        $moved = @($results | Where-Object Status -EQ 'Moved')
        $refused = @($results | Where-Object Status -NE 'Moved')
        $moved.Count | Should -Be 4
        $refused.Count | Should -Be 6
        $refused | ForEach-Object {
            $_.Status | Should -Be 'Failed'
            $_.Reason | Should -Be 'InsufficientLicenses'
        }
        $errors.Count | Should -Be 6
        $errors | ForEach-Object {
            $_.FullyQualifiedErrorId | Should -Be "InsufficientLicenses,$($script:Cmdlet)"
            $_.CategoryInfo.Category | Should -Be 'QuotaExceeded'
        }

        $view = Get-SimulatorLicenseView $script:SeatsSimulator
        $moved | ForEach-Object { $view[$_.UserId].Licenses | Should -BeLike 'SPE_E5*' }
        Get-LicenseViewFingerprint $view $moved.UserId | Should -Be (Get-LicenseViewFingerprint $before $moved.UserId)
        $stats = Get-SimulatorStats $script:SeatsSimulator
        $stats.licenseWrites | Should -Be 4
        $stats.usersEverUnlicensed | Should -Be 0
        ((Get-SimulatorTenant $script:SeatsSimulator).subscribedSkus | Where-Object skuPartNumber -EQ 'SPE_E5').consumedUnits | Should -Be 4
    }
}

Describe 'Move-UserLicense -ErrorAction Stop, once the cmdlet has returned' {
    It 'nothing is written after it' {
        # No faults then: a run still going would pause at most a Retry-After (1 Graph s = 0.05 s here) or its own 1 s delay.
        $quiet = Wait-SimulatorQuiet $script:LoadSimulator -QuietSeconds 3 -Since $script:LoadReturned
        $quiet.requests | Should -Be $script:LoadAtReturn.requests -Because 'a stopped run must not keep moving users in the background'
        $quiet.licenseWrites | Should -Be $script:LoadAtReturn.licenseWrites -Because 'no write may land after the cmdlet returned'
    }
}
