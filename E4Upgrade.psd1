@{
    RootModule           = 'E4Upgrade.dll'
    # Stamped at build from Directory.Build.props (E4UpgradeVersion).
    ModuleVersion        = '0.0.0'
    GUID                 = '6b0f7b2e-4b8a-4a43-9d5e-2f1c7a9e4e41'
    Author               = 'E4Upgrade contributors'
    CompanyName          = 'E4Upgrade'
    Copyright            = '(c) 2026 E4Upgrade contributors. MIT License.'
    Description          = 'Moves a Microsoft 365 tenant off the retired Office 365 E4 subscription onto Office 365 E3/E5 or Microsoft 365 E3/E5 through Microsoft Graph: batched, paced under Graph throttling, resumable, and never leaving a user unlicensed.'
    # Only what is proven: PowerShell 7.6 (every Pester test) and the module's loading and engine on .NET 8, the runtime
    # of PowerShell 7.4 (tests/pester/Net8.Tests.ps1, a .NET 8 host; no 7.4 package is available to the build). Windows
    # PowerShell 5.1 was never run and cannot isolate the module's dependencies, so Desktop is not declared: see README,
    # "Which PowerShell versions are proven".
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('E4Upgrade.Format.ps1xml')
    CmdletsToExport      = @(
        'Connect-E4Upgrade'
        'Disconnect-E4Upgrade'
        'Get-E4Subscription'
        'Test-E4UpgradeEligibility'
        'Move-UserLicense'
        'Start-E4Upgrade'
        'Stop-E4Subscription'
        'Get-E4UpgradeReport'
        'Undo-E4Upgrade'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Microsoft365', 'Office365', 'E4', 'E5', 'Licensing', 'LicenseAssignment', 'Graph', 'Entra', 'PSEdition_Core')
            # Stamped at build: ProjectUri and LicenseUri from Directory.Build.props (left out while empty),
            # ReleaseNotes from this version's section of CHANGELOG.md.
            ProjectUri   = ''
            LicenseUri   = ''
            ReleaseNotes = ''
        }
    }
}
