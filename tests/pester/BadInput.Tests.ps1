# Bad input to Move-UserLicense (issue 6, fault suite): CSVs with missing columns, blank lines and empty values,
# unknown, duplicate and malformed users, SKUs that do not exist, a target without seats. Each gets its own error id,
# the valid users in the same input are moved, and nobody else changes (the tenant is read back from the simulator).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force

    $script:Cmdlet = 'E4Upgrade.Cmdlets.MoveUserLicenseCommand'
    $script:NoIdentity = 'The input object has no Id, UserId, ObjectId or UserPrincipalName value. Check the CSV header and blank rows.'

    function New-Csv([string] $Name, [string[]] $Lines) {
        $path = Join-Path $TestDrive $Name
        Set-Content -Path $path -Value ($Lines -join "`r`n") -Encoding utf8NoBOM -NoNewline
        $path
    }

    function Connect-TestSimulator($Simulator) {
        Connect-E4Upgrade -AccessToken (New-SecureToken $Simulator.Token) -GraphEndpoint $Simulator.GraphUrl | Out-Null
    }

    # What the user sees of an error: its message, never a .NET stack trace.
    function Assert-CleanError($ErrorRecord) {
        $ErrorRecord.Exception.Message | Should -Not -Match '(^|\n)\s+at \S+\(' -Because 'no stack trace may reach the user'
        ($ErrorRecord | Out-String) | Should -Not -Match '\n\s+at E4Upgrade\.'
    }

    # Asserts a run: these users moved to SPE_E5 once each, every other user exactly as before, and no other write.
    function Assert-OnlyMoved($Simulator, $Initial, [string[]] $Moved) {
        $view = Get-SimulatorLicenseView $Simulator
        foreach ($id in $Moved) {
            $view[$id].Licenses | Should -BeLike 'SPE_E5*'
            $view[$id].Licenses | Should -Not -BeLike '*ENTERPRISEWITHSCAL*'
            Get-SimulatorLicenseWrites $Simulator $id | Should -Be 1
        }
        Get-LicenseViewFingerprint $view $Moved | Should -Be (Get-LicenseViewFingerprint $Initial $Moved)
        $stats = Get-SimulatorStats $Simulator
        $stats.writes | Should -Be $Moved.Count
        $stats.usersEverUnlicensed | Should -Be 0
        $stats.usersWithMultipleLicenseWrites | Should -Be 0
    }
}

AfterAll {
    Disconnect-E4Upgrade
    Stop-TestSimulator $script:Simulator
    Stop-TestSimulator $script:NoSeatsSimulator
}

Describe 'Move-UserLicense with bad input' {
    BeforeAll {
        # 30 generated users: 7 has no usage location, 11 holds E4 only through groups, the rest hold E4 directly.
        $script:Simulator = Start-TestSimulator -Arguments @('--users', '30')
        Connect-TestSimulator $script:Simulator
        $script:U = Get-GeneratedUserMap (Get-SimulatorTenant $script:Simulator)
        $script:Initial = Get-SimulatorLicenseView $script:Simulator
    }

    BeforeEach {
        Reset-Simulator $script:Simulator
    }

    It 'a CSV without an Id or UserPrincipalName column: InvalidUserIdentity for each row, the valid users beside it moved' {
        $bad = New-Csv 'no-id.csv' @('DisplayName,Mail', "User 00001,$($U[1].userPrincipalName)", "User 00003,$($U[3].userPrincipalName)", "User 00004,$($U[4].userPrincipalName)")
        $good = New-Csv 'good.csv' @('UserPrincipalName', $U[8].userPrincipalName, $U[9].userPrincipalName)

        $results = @(@(Import-Csv $bad) + @(Import-Csv $good) | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -ErrorVariable errors -ErrorAction SilentlyContinue)

        $errors.Count | Should -Be 3
        $errors | ForEach-Object {
            $_.FullyQualifiedErrorId | Should -Be "InvalidUserIdentity,$($script:Cmdlet)"
            $_.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $_.Exception.Message | Should -Be $script:NoIdentity
            Assert-CleanError $_
        }
        $errors.TargetObject.Mail | Should -Be @($U[1].userPrincipalName, $U[3].userPrincipalName, $U[4].userPrincipalName)
        @($results | Where-Object Status -EQ 'Moved').UserId | Sort-Object | Should -Be (@($U[8].id, $U[9].id) | Sort-Object)
        # One result per input row: the unreadable rows are there too, Failed with the same error id.
        $unreadable = @($results | Where-Object Status -NE 'Moved')
        $unreadable.Count | Should -Be 3
        $unreadable | ForEach-Object { $_.Status | Should -Be 'Failed'; $_.Reason | Should -Be 'InvalidUserIdentity'; $_.Message | Should -Be $script:NoIdentity }
        Assert-OnlyMoved $script:Simulator $script:Initial @($U[8].id, $U[9].id)
    }

    It 'blank lines and empty values in a CSV: blank lines skipped, InvalidUserIdentity for each row without a value' {
        $csv = New-Csv 'blanks.csv' @('UserPrincipalName,Department', "$($U[1].userPrincipalName),Sales", '', ',Sales', '   ,Marketing', '', "$($U[2].userPrincipalName),Sales", '', '')

        $results = @(Import-Csv $csv | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -ErrorVariable errors -ErrorAction SilentlyContinue)

        $errors.Count | Should -Be 2
        $errors.FullyQualifiedErrorId | Should -Be (@("InvalidUserIdentity,$($script:Cmdlet)") * 2)
        $errors.TargetObject.Department | Should -Be @('Sales', 'Marketing')
        $errors | ForEach-Object { Assert-CleanError $_ }
        @($results | Where-Object Status -EQ 'Moved').Count | Should -Be 2
        @($results | Where-Object Reason -EQ 'InvalidUserIdentity').Status | Should -Be @('Failed', 'Failed')
        $results.Count | Should -Be 4
        Assert-OnlyMoved $script:Simulator $script:Initial @($U[1].id, $U[2].id)
    }

    It 'blank lines in a plain list of users: InvalidUserIdentity for each, the others moved' {
        $list = New-Csv 'users.txt' @($U[1].userPrincipalName, '', $U[2].id, '   ', $U[3].userPrincipalName)

        $results = @(Get-Content $list | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -ErrorVariable errors -ErrorAction SilentlyContinue)

        $errors.Count | Should -Be 2
        $errors | ForEach-Object {
            $_.FullyQualifiedErrorId | Should -Be "InvalidUserIdentity,$($script:Cmdlet)"
            $_.Exception.Message | Should -Match 'empty' -Because 'the error says what is wrong with the row'
        }
        @($results | Where-Object Status -EQ 'Moved').Count | Should -Be 3
        @($results | Where-Object Reason -EQ 'InvalidUserIdentity').Status | Should -Be @('Failed', 'Failed')
        $results.Count | Should -Be 5
        Assert-OnlyMoved $script:Simulator $script:Initial @($U[1].id, $U[2].id, $U[3].id)
    }

    It 'unknown users: UserNotFound for each, with a result naming them, the valid users moved' {
        $ghostId = 'f00dfeed-0000-4000-8000-00000000beef'
        $ghostUpn = 'ghost.user@contoso.onmicrosoft.com'
        $csv = New-Csv 'unknown.csv' @('Id,UserPrincipalName', "$ghostId,", ",$ghostUpn", "$($U[1].id),", ",$($U[2].userPrincipalName)")

        $results = @(Import-Csv $csv | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -ErrorVariable errors -ErrorAction SilentlyContinue)

        $errors.Count | Should -Be 2
        $errors | ForEach-Object {
            $_.FullyQualifiedErrorId | Should -Be "UserNotFound,$($script:Cmdlet)"
            $_.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            Assert-CleanError $_
        }
        $results.Count | Should -Be 4
        $ghosts = @($results | Where-Object Reason -EQ 'UserNotFound')
        $ghosts.Status | Should -Be @('Failed', 'Failed')
        @($ghosts | Where-Object { $_.UserId -eq $ghostId }).Count | Should -Be 1
        @($ghosts | Where-Object { $_.UserPrincipalName -eq $ghostUpn }).Count | Should -Be 1
        Assert-OnlyMoved $script:Simulator $script:Initial @($U[1].id, $U[2].id)
    }

    It 'duplicate users (same UPN, other case, id and UPN): one write each, one result per input row' {
        $one = $U[1]; $two = $U[2]
        $csv = New-Csv 'duplicates.csv' @('Id,UserPrincipalName', ",$($one.userPrincipalName)", "$($one.id),", ",$($one.userPrincipalName.ToUpperInvariant())", "$($two.id),$($two.userPrincipalName)", "$($two.id.ToUpperInvariant()),", ",$($one.userPrincipalName)")

        $results = @(Import-Csv $csv | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -ErrorVariable errors)

        $errors.Count | Should -Be 0
        $results.Count | Should -Be 6
        $moved = @($results | Where-Object Status -EQ 'Moved')
        $moved.UserId | Sort-Object | Should -Be (@($one.id, $two.id) | Sort-Object)
        $duplicates = @($results | Where-Object Reason -EQ 'DuplicateInput')
        $duplicates.Count | Should -Be 4
        @($duplicates | Where-Object Status -NE 'Skipped') | Should -BeNullOrEmpty
        @($duplicates | Where-Object { $_.UserId -eq $one.id -or $_.UserPrincipalName -eq $one.userPrincipalName }).Count | Should -Be 3
        @($duplicates | Where-Object { $_.UserId -eq $two.id -or $_.UserPrincipalName -eq $two.userPrincipalName }).Count | Should -Be 1
        Assert-OnlyMoved $script:Simulator $script:Initial @($one.id, $two.id)
    }

    It 'malformed GUIDs: InvalidUserIdentity for each, well-formed ids with spaces or braces moved' {
        $malformed = @('23827d5e-fc78-4898-8039-dec54409f8c', 'not-a-guid', '{1234}', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', '12345', '@contoso.onmicrosoft.com')
        $csv = New-Csv 'malformed.csv' (@('Id') + $malformed + @("  $($U[1].id)  ", "{$($U[2].id)}"))

        $results = @(Import-Csv $csv | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -ErrorVariable errors -ErrorAction SilentlyContinue)

        $errors.Count | Should -Be $malformed.Count
        $errors | ForEach-Object {
            $_.FullyQualifiedErrorId | Should -Be "InvalidUserIdentity,$($script:Cmdlet)"
            $_.CategoryInfo.Category | Should -Be 'InvalidArgument'
            Assert-CleanError $_
        }
        $errors.TargetObject.Id | Should -Be $malformed
        $errors[0].Exception.Message | Should -Match ([regex]::Escape("'23827d5e-fc78-4898-8039-dec54409f8c'")) -Because 'the error names the value it could not read'
        @($results | Where-Object Status -EQ 'Moved').UserId | Sort-Object | Should -Be (@($U[1].id, $U[2].id) | Sort-Object)
        @($results | Where-Object Reason -EQ 'InvalidUserIdentity').Count | Should -Be $malformed.Count
        Assert-OnlyMoved $script:Simulator $script:Initial @($U[1].id, $U[2].id)
    }

    It 'a SKU that does not exist (<Case>): SkuNotFound, terminating, nothing written' -TestCases @(
        @{ Case = 'target SPE_E55'; FromSku = 'ENTERPRISEWITHSCAL'; ToSku = 'SPE_E55' }
        @{ Case = 'target by display name'; FromSku = 'ENTERPRISEWITHSCAL'; ToSku = 'Microsoft 365 E5' }
        @{ Case = 'target by a truncated skuId'; FromSku = 'ENTERPRISEWITHSCAL'; ToSku = '06ebc4ee-1bb5-47dd-8120' }
        @{ Case = 'target by a skuId the tenant lacks'; FromSku = 'ENTERPRISEWITHSCAL'; ToSku = '00000000-0000-0000-0000-0000000000e5' }
        @{ Case = 'source E4'; FromSku = 'E4'; ToSku = 'SPE_E5' }
    ) {
        $csv = New-Csv 'valid.csv' (@('UserPrincipalName') + @(1..6 | ForEach-Object { $U[$_].userPrincipalName }))
        $output = [System.Collections.Generic.List[object]]::new()

        $err = Get-CaughtError { Import-Csv $csv | Move-UserLicense -FromSku $FromSku -ToSku $ToSku | ForEach-Object { $output.Add($_) } }

        $err.FullyQualifiedErrorId | Should -Be "SkuNotFound,$($script:Cmdlet)"
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.Exception.Message | Should -BeLike '*The tenant''s SKUs: ENTERPRISEWITHSCAL (1392051d-0cb9-4b7a-88d5-621fee5e8711), *'
        Assert-CleanError $err
        $output.Count | Should -Be 0
        Assert-OnlyMoved $script:Simulator $script:Initial @()
    }

    It '-UsageLocation <Value> to <Command>: InvalidUsageLocation, terminating, nothing written' -TestCases @(
        @{ Command = 'Move-UserLicense'; Value = 'ZZ' }
        @{ Command = 'Move-UserLicense'; Value = 'UK' }
        @{ Command = 'Start-E4Upgrade'; Value = 'ZZ' }
        @{ Command = 'Test-E4UpgradeEligibility'; Value = 'XK' }
        @{ Command = 'Test-E4UpgradeEligibility'; Value = 'USA' }
    ) {
        $journal = Join-Path $TestDrive 'usage-location.jsonl'
        $err = switch ($Command) {
            'Move-UserLicense' { Get-CaughtError { $U[7].userPrincipalName | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -UsageLocation $Value } }
            'Start-E4Upgrade' { Get-CaughtError { Start-E4Upgrade -TargetSku SPE_E5 -UsageLocation $Value -JournalPath $journal -Confirm:$false } }
            'Test-E4UpgradeEligibility' { Get-CaughtError { Test-E4UpgradeEligibility -TargetSku SPE_E5 -UsageLocation $Value } }
        }

        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidUsageLocation,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeLike "*'$Value'*ISO 3166-1 alpha-2*"
        Assert-CleanError $err
        Test-Path $journal | Should -BeFalse
        Assert-OnlyMoved $script:Simulator $script:Initial @()
    }

    It 'a dirty CSV with every kind of bad row at once: each gets its error id, every valid user is moved once' {
        $csv = New-Csv 'dirty.csv' @(
            'Id,UserPrincipalName,Note'
            ",$($U[1].userPrincipalName),valid"
            "$($U[2].id),,valid (o'brien)"
            ",$($U[3].userPrincipalName),valid with disabled plans"
            ",$($U[1].userPrincipalName.ToUpperInvariant()),duplicate"
            ''
            ',,empty'
            'b0b0b0b0-0000-4000-8000-000000000000,,unknown id'
            ',nobody@contoso.onmicrosoft.com,unknown upn'
            '1234-5678,,malformed'
            "$($U[11].id),,group"
            ",$($U[7].userPrincipalName),no usage location"
            ",$($U[12].userPrincipalName),valid"
        )

        $results = @(Import-Csv $csv | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -ErrorVariable errors -ErrorAction SilentlyContinue)

        $errors.FullyQualifiedErrorId -replace ',.*' | Sort-Object | Should -Be @(
            'InheritedFromGroup', 'InvalidUserIdentity', 'InvalidUserIdentity', 'UsageLocationMissing', 'UserNotFound', 'UserNotFound')
        $errors | ForEach-Object { Assert-CleanError $_ }
        $moved = @($U[1].id, $U[2].id, $U[3].id, $U[12].id)
        @($results | Where-Object Status -EQ 'Moved').UserId | Sort-Object | Should -Be ($moved | Sort-Object)
        ($results | Where-Object UserId -EQ $U[11].id).Reason | Should -Be 'InheritedFromGroup'
        ($results | Where-Object UserId -EQ $U[7].id).Reason | Should -Be 'UsageLocationMissing'
        Assert-OnlyMoved $script:Simulator $script:Initial $moved
    }
}

Describe 'Move-UserLicense to a target SKU with zero seats' {
    BeforeAll {
        $script:NoSeatsSimulator = Start-TestSimulator -Arguments @('--users', '10', '--target-seats', '0')
        Connect-TestSimulator $script:NoSeatsSimulator
        $script:NoSeatsUsers = Get-GeneratedUserMap (Get-SimulatorTenant $script:NoSeatsSimulator)
        $script:NoSeatsInitial = Get-SimulatorLicenseView $script:NoSeatsSimulator
    }

    It 'reports InsufficientLicenses for every user, writes nothing (not even a usage location) and changes nobody' {
        $users = @(1..10 | ForEach-Object { $script:NoSeatsUsers[$_].userPrincipalName })

        $results = @($users | Move-UserLicense -FromSku ENTERPRISEWITHSCAL -ToSku SPE_E5 -UsageLocation US -ErrorVariable errors -ErrorAction SilentlyContinue)

        $results.Count | Should -Be 10
        $results | ForEach-Object {
            $_.Status | Should -Be 'Failed'
            $_.Reason | Should -Be 'InsufficientLicenses'
            $_.Attempts | Should -Be 0
        }
        $errors.Count | Should -Be 10
        $errors | ForEach-Object {
            $_.FullyQualifiedErrorId | Should -Be "InsufficientLicenses,$($script:Cmdlet)"
            $_.CategoryInfo.Category | Should -Be 'QuotaExceeded'
            Assert-CleanError $_
        }
        Assert-OnlyMoved $script:NoSeatsSimulator $script:NoSeatsInitial @()
        $script:NoSeatsUsers[7].usageLocation | Should -BeNullOrEmpty
        (Get-SimulatorLicenseView $script:NoSeatsSimulator)[$script:NoSeatsUsers[7].id].UsageLocation | Should -BeNullOrEmpty
    }
}
