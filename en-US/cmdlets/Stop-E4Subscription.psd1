@{
    Synopsis    = 'Verifies Office 365 E4 (or the -SourceSku) is no longer used, clears leftovers on request, and states what remains to cancel it.'
    Description = @'
There is no public API to cancel a subscription bought directly from Microsoft: Microsoft Graph's subscribedSkus and directory/subscriptions are read-only. Stop-E4Subscription therefore does not cancel anything. It does the part that can be automated and tells you the rest plainly.

It verifies that E4 has no consumed seats and that no group still assigns it. While either is not so it stops with a terminating E4StillInUse error that names who still holds E4 (users and groups).

With -RemoveFromUsersWithTarget (asks for confirmation, ConfirmImpact High; -Force skips the question) it first removes leftover direct E4 assignments, but only from users who already hold the target (so nobody is left without a license); users without the target are named and left alone. Without -RemoveFromUsersWithTarget nothing is ever changed, with or without -Force.

With -SourceSku another source is checked the same way (SPE_E5 after moving to the no-Teams suite plus Teams Enterprise), and the messages name it.

It returns the state of the source SKU and NextSteps (with FreedAddOns: the add-on subscriptions the run removed from users with -RemoveRedundantAddOns, as its journal records, that now have free seats, so you can reduce or cancel them; never a suite, and never an add-on the run did not remove): cancel it in the Microsoft 365 admin center (Billing > Your products > Office 365 E4 > Cancel subscription; online cancellation needs 25 or fewer licenses, so reduce the license count first), and for subscriptions bought through a partner (CSP), ask the partner.
'@
    Parameters  = @{
        TargetSku = 'The target SKU or SKUs (a suite and its add-ons). With -RemoveFromUsersWithTarget, E4 is removed only from users holding every one of them. Default: any of the suites E4 users move to that the tenant has (Office 365 E3/E5, Microsoft 365 E3/E5, E5 without Audio Conferencing, the no-Teams suites). Add-on subscriptions that the target includes and that now have free seats are listed in FreedAddOns and NextSteps. Each by part number exactly as the tenant spells it (SPE_E5, ''Microsoft_365_E5_(no_Teams)'', ''O365_w/o_Teams_Bundle_M5'': quote names with parentheses, slashes or spaces) or by skuId GUID; Tab completes the connected tenant''s SKUs, or the module''s catalog when not connected.'
        SourceSku = 'The SKU to check, named like -TargetSku (Tab completes it). Defaults to the tenant''s E4 SKU (ENTERPRISEWITHSCAL or a variant); SPE_E5 after Teams unbundling.'
        RemoveFromUsersWithTarget = 'Remove leftover direct assignments of the source (E4) from users who already hold the target before verifying: removeLicenses only, each user read again right before, so nobody is left unlicensed. Asks for confirmation unless -Force or -Confirm:$false. This was -Force before; -Force now only skips the question.'
        Force     = 'Do not ask for confirmation before -RemoveFromUsersWithTarget removes anything (-WhatIf still changes nothing). Alone it changes nothing.'
        JournalPath = 'The journal of the Start-E4Upgrade run, which records the add-ons it removed from users (-RemoveRedundantAddOns): only those are listed in FreedAddOns. Without it, the default journal of -TargetSku is read when exactly one is found; with no journal, no add-on is listed as freed.'
    }
    Examples    = @(
        @{
            Title   = 'After the upgrade'
            Code    = 'Stop-E4Subscription -TargetSku SPE_E5'
            Remarks = 'Returns ReadyToCancel and the steps for the admin center, or fails with E4StillInUse naming who still holds E4.'
        }
        @{
            Title   = 'Clear leftovers'
            Code    = 'Stop-E4Subscription -TargetSku SPE_E5 -RemoveFromUsersWithTarget -Force'
            Remarks = 'Users who hold both E4 and Microsoft 365 E5 lose E4, without a question (-Force); everybody else is named in the error.'
        }
        @{
            Title   = 'After Teams unbundling'
            Code    = "Stop-E4Subscription -SourceSku SPE_E5 -TargetSku 'Microsoft_365_E5_(no_Teams)', Microsoft_Teams_Enterprise_New"
            Remarks = 'Checks that nobody holds Microsoft 365 E5 (with Teams) any more, and says how to cancel it.'
        }
    )
    Notes       = 'Error ids: NotConnected, SkuNotFound, E4StillInUse, TargetNotReady (-RemoveFromUsersWithTarget with a -TargetSku that is not Enabled), TokenExpired, PermissionMissing (Graph answered 403; the message names the permission to grant). -RemoveFromUsersWithTarget counts only Enabled targets and reads each user again right before removing E4. Before this version -Force did the removal: scripts that passed -Force to remove leftovers now pass -RemoveFromUsersWithTarget -Force.'
}
