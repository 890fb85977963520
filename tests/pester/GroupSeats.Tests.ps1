# Seats promised to group swaps Entra has not processed yet (issue 18 item 1): two groups each assign Office 365 E4 to
# two users, and Microsoft 365 E5 has 3 free seats. Entra starts on a group only 30 s after its swap
# (--group-start-delay-ms 30000) and the run does not wait (-GroupProcessingTimeout 0), so consumedUnits still shows 3
# free when the second group is checked. The second group must be refused whole: its members keep E4. Afterwards Entra
# is made to process every member (POST /users/{id}/reprocessLicenseAssignment, a Graph call) and nobody is left
# without a license. One simulator for the file.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'E4Upgrade.TestHelpers.psm1') -Force
    $script:ModulePath = Get-TestModulePath
    Import-Module $script:ModulePath -Force
    $script:E4Id = '1392051d-0cb9-4b7a-88d5-621fee5e8711'
    $script:E5Id = '06ebc4ee-1bb5-47dd-8120-11324bc54e06'

    function New-Person([int] $n) {
        [ordered] @{ id = ('00000000-0000-4000-8000-{0:D12}' -f $n); userPrincipalName = "person$n@contoso.onmicrosoft.com"; usageLocation = 'US'; assignedLicenses = @() }
    }
    function New-E4Group([string] $id, [string] $name, [int[]] $members) {
        [ordered] @{
            id               = $id
            displayName      = $name
            assignedLicenses = @(@{ skuId = $script:E4Id; disabledPlans = @() })
            members          = @($members | ForEach-Object { '00000000-0000-4000-8000-{0:D12}' -f $_ })
        }
    }
    function Select-Type($items, [string] $name) { @($items | Where-Object { $_.PSObject.TypeNames[0] -like "*.$name" }) }
}

Describe 'Start-E4Upgrade with two groups and seats for only three of their four members' {
    BeforeAll {
        $tenant = [ordered] @{
            subscribedSkus = @(
                @{ skuPartNumber = 'ENTERPRISEWITHSCAL'; seats = 10 },
                @{ skuPartNumber = 'SPE_E5'; seats = 3 })
            users          = @(1..4 | ForEach-Object { New-Person $_ })
            groups         = @(
                (New-E4Group '00000000-0000-4000-9000-000000000001' 'GA' @(1, 2)),
                (New-E4Group '00000000-0000-4000-9000-000000000002' 'GB' @(3, 4)))
        }
        $script:Sim = Start-TestSimulator -Tenant $tenant -Arguments @('--group-start-delay-ms', '30000')
        Connect-E4Upgrade -AccessToken (New-SecureToken $script:Sim.Token) -GraphEndpoint $script:Sim.GraphUrl | Out-Null
        $errors = $null
        $script:Output = @(Start-E4Upgrade -TargetSku SPE_E5 -AcceptFinding InsufficientTargetSeats -GroupProcessingTimeout 0 `
                -PollInterval ([TimeSpan]::FromMilliseconds(100)) -JournalPath (Join-Path $TestDrive 'journal.jsonl') `
                -Confirm:$false -PassThru -WarningAction SilentlyContinue -ErrorAction SilentlyContinue -ErrorVariable errors)
        $script:Errors = @($errors)

        # Entra processes every member now.
        $headers = @{ Authorization = "Bearer $($script:Sim.Token)" }
        foreach ($n in 1..4) {
            $id = '00000000-0000-4000-8000-{0:D12}' -f $n
            Invoke-RestMethod -Method Post -Uri "$($script:Sim.GraphUrl)/users/$id/reprocessLicenseAssignment" -Headers $headers | Out-Null
        }
        $script:After = Get-SimulatorTenant $script:Sim
        $script:Stats = Get-SimulatorStats $script:Sim
    }

    AfterAll { Stop-TestSimulator $script:Sim }

    It 'swaps the first group and refuses the second whole, naming the seats promised to the first' {
        $groups = Select-Type $script:Output 'GroupUpgradeResult'
        "$(($groups | Where-Object DisplayName -eq 'GA').Status)" | Should -Be 'TimedOut'
        $refused = $groups | Where-Object DisplayName -eq 'GB'
        "$($refused.Status)" | Should -Be 'Failed'
        $refused.Message | Should -Match '2 members need a SPE_E5 seat and only 1 are free'
        $members = Select-Type $script:Output 'LicenseMoveResult' | Where-Object { $_.UserPrincipalName -in 'person3@contoso.onmicrosoft.com', 'person4@contoso.onmicrosoft.com' }
        @($members | Where-Object Reason -eq 'InsufficientLicenses').Count | Should -Be 2
        @($script:Errors | ForEach-Object { $_.FullyQualifiedErrorId -replace ',.*' }) | Should -Be @('UpgradeIncomplete')
    }

    It 'leaves nobody without a license once Entra has processed every member' {
        $script:Stats.usersEverUnlicensed | Should -Be 0
        foreach ($user in $script:After.users) {
            $active = @($user.licenseAssignmentStates | Where-Object state -eq 'Active' | ForEach-Object skuId)
            $active | Should -Not -BeNullOrEmpty -Because "$($user.userPrincipalName) must hold E4 or the target"
            @($user.licenseAssignmentStates | Where-Object error -eq 'CountViolation') | Should -BeNullOrEmpty
        }
        $ga = $script:After.users | Where-Object { $_.userPrincipalName -in 'person1@contoso.onmicrosoft.com', 'person2@contoso.onmicrosoft.com' }
        $ga | ForEach-Object { @($_.licenseAssignmentStates | Where-Object { $_.state -eq 'Active' } | ForEach-Object skuId) | Should -Contain $script:E5Id }
        $gb = $script:After.users | Where-Object { $_.userPrincipalName -in 'person3@contoso.onmicrosoft.com', 'person4@contoso.onmicrosoft.com' }
        $gb | ForEach-Object { @($_.licenseAssignmentStates | Where-Object { $_.state -eq 'Active' } | ForEach-Object skuId) | Should -Contain $script:E4Id }
    }
}
