@{
    Synopsis    = 'Signs in to Microsoft Graph for the E4Upgrade cmdlets.'
    Description = @'
Connect-E4Upgrade signs in to Microsoft Graph with Azure.Identity and keeps the session in the module for every other E4Upgrade cmdlet. It supports an app registration with a certificate (by thumbprint or object) or a client secret, a managed identity (system-assigned, or user-assigned with -ClientId) for Azure Automation runbooks, the device-code flow for interactive use, and an access token obtained elsewhere.

The session is checked with one read (GET /subscribedSkus) before the cmdlet returns, so a wrong tenant, secret or missing permission fails here with a clear error rather than in the middle of a run.

Least-privilege application permissions: LicenseAssignment.ReadWrite.All, User.Read.All, Organization.Read.All, and Group.Read.All where groups carry licenses.

The token is only ever sent to the configured Graph endpoint. Plain http is accepted only for loopback endpoints (the Graph simulator used by the tests and the demo). Tokens and secrets never appear in output, verbose messages, errors or files.

TLS is always checked. A test server with a self-signed certificate (the Graph simulator started with --https) is reached by naming that one certificate with -TrustedCertificateThumbprint; there is no switch that turns certificate checks off.
'@
    Parameters  = @{
        TenantId              = 'The Microsoft Entra tenant id or primary domain (contoso.onmicrosoft.com). Required for app-only sign-in; for device code it defaults to "organizations".'
        ClientId              = 'The application (client) id of the app registration, or of the user-assigned managed identity with -ManagedIdentity. With -ClientSecret the user name of the credential is used when -ClientId is omitted.'
        ClientSecret          = 'The client secret as a PSCredential: the password is the secret (the user name may carry the client id). Use Get-Credential or a credential asset in Azure Automation.'
        CertificateThumbprint = 'Thumbprint of a certificate with private key in the CurrentUser or LocalMachine "My" store.'
        Certificate           = 'An X509Certificate2 with private key, for example from Get-PfxCertificate or Get-AutomationCertificate.'
        ManagedIdentity       = 'Signs in with the managed identity of the Azure resource the script runs on (Azure Automation, Functions, VMs). Add -ClientId for a user-assigned identity. Never prompts.'
        DeviceCode            = 'Interactive sign-in with the device-code flow: a code and URL are shown as a warning; sign in from any browser.'
        AccessToken           = 'A bearer token for Microsoft Graph obtained elsewhere, as a SecureString. It is not refreshed: when it expires, cmdlets stop with TokenExpired and you connect again.'
        GraphEndpoint         = 'The Graph service root including the version, for example https://graph.microsoft.com/v1.0 (the default for -Environment Global) or http://127.0.0.1:5000/v1.0 for the Graph simulator. http is accepted only for loopback addresses.'
        TrustedCertificateThumbprint = 'The SHA-1 (40 hex digits) or SHA-256 (64 hex digits) thumbprint of one server certificate to trust besides the certificates the system trusts, for a test server with a self-signed certificate, such as the Graph simulator started with --https (it prints its thumbprint and serves it at /_simulator/certificate). Spaces and colons are ignored. Only that exact certificate is accepted, only when its chain is the sole problem (the host name must still match), and only with an https -GraphEndpoint. A malformed thumbprint fails with InvalidCertificateThumbprint; without it, an untrusted certificate fails with UntrustedCertificate.'
        Environment           = 'The national cloud: Global (default), USGov, USGovDoD or China. Selects the Graph endpoint and the sign-in authority unless -GraphEndpoint is given.'
    }
    Examples    = @(
        @{
            Title   = 'App-only sign-in with a certificate'
            Code    = 'Connect-E4Upgrade -TenantId contoso.onmicrosoft.com -ClientId 00000000-0000-0000-0000-000000000001 -CertificateThumbprint 0123456789ABCDEF0123456789ABCDEF01234567'
            Remarks = 'Signs in as the app registration using a certificate from the local store. The app needs LicenseAssignment.ReadWrite.All, User.Read.All, Organization.Read.All and, for group-based licenses, Group.Read.All.'
        }
        @{
            Title   = 'Azure Automation runbook with a managed identity'
            Code    = @'
Connect-E4Upgrade -ManagedIdentity
Start-E4Upgrade -TargetSku SPE_E5 -Confirm:$false -ErrorAction Stop
'@
            Remarks = 'The Automation account''s system-assigned identity signs in without any prompt; grant it the Graph application permissions listed above.'
        }
        @{
            Title   = 'Interactive sign-in'
            Code    = 'Connect-E4Upgrade -DeviceCode -TenantId contoso.onmicrosoft.com'
            Remarks = 'Shows a code and a URL; sign in as a License Administrator or User Administrator.'
        }
        @{
            Title   = 'A token from elsewhere, against the Graph simulator'
            Code    = 'Connect-E4Upgrade -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -GraphEndpoint http://127.0.0.1:5000/v1.0'
            Remarks = 'Uses a bearer token obtained by another tool. The demo and the tests connect to the local Graph simulator this way.'
        }
        @{
            Title   = 'The Graph simulator over https, trusting its self-signed certificate'
            Code    = 'Connect-E4Upgrade -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -GraphEndpoint https://127.0.0.1:5001/v1.0 -TrustedCertificateThumbprint 9DBDFCB92B459262B3A2AF9352E071E0D6D68634'
            Remarks = 'The simulator started with --https prints "Certificate thumbprint (SHA-1): ..." at start; that certificate, and no other untrusted one, is accepted for this session.'
        }
    )
    OutputDescriptions = @{ 'E4Upgrade.Output.E4UpgradeConnection' = 'The session: how it signed in, the tenant, the client id and the Graph endpoint. Never a token or secret.' }
    Notes       = 'Error ids: AuthenticationFailed, PermissionMissing (the token cannot read the subscribed SKUs: the message names the permission), InvalidGraphEndpoint, InvalidCertificateThumbprint, UntrustedCertificate, TokenExpired.'
}
