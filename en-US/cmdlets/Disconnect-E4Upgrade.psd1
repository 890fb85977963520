@{
    Synopsis    = 'Ends the E4Upgrade Graph session.'
    Description = 'Disconnect-E4Upgrade forgets the Graph session and credential the module holds. Cmdlets run afterwards fail with NotConnected until Connect-E4Upgrade is run again. Nothing in the tenant changes.'
    Parameters  = @{}
    Examples    = @(
        @{
            Title   = 'End the session'
            Code    = 'Disconnect-E4Upgrade'
            Remarks = 'Clears the session. Running it while not connected does nothing.'
        }
        @{
            Title   = 'Always disconnect at the end of a runbook'
            Code    = @'
Connect-E4Upgrade -ManagedIdentity
try {
    Start-E4Upgrade -TargetSku SPE_E5 -Confirm:$false -ErrorAction Stop
}
finally {
    Disconnect-E4Upgrade
}
'@
            Remarks = 'The session is released whether the run succeeds or stops with an error.'
        }
    )
    Notes       = 'Supports -WhatIf and -Confirm like every state-changing cmdlet of the module.'
}
