@{
    Synopsis    = 'Shows the tenant''s Office 365 E4 subscription(s) and candidate targets, with seats and status.'
    Description = @'
Get-E4Subscription reads GET /subscribedSkus and GET /directory/subscriptions and reports the tenant's E4 SKUs (ENTERPRISEWITHSCAL and its variants) with their capability status, seats bought (enabled), used (consumed) and free, suspended, warning and locked-out units, and the subscriptions linked to each SKU (status, trial flag, license count, next lifecycle date).

With -TargetSku it also reports that SKU, which is step 2 of Microsoft's manual upgrade: check the new subscription is active and has at least as many licenses as E4. With -All it reports every SKU of the tenant.

It only reads.
'@
    Parameters  = @{
        TargetSku = 'The target SKU or SKUs (a suite and its add-ons) to report beside E4, each with Role Target. Each by part number exactly as the tenant spells it (SPE_E5, ''Microsoft_365_E5_(no_Teams)'', ''O365_w/o_Teams_Bundle_M5'': quote names with parentheses, slashes or spaces) or by skuId GUID; Tab completes the connected tenant''s SKUs, or the module''s catalog when not connected.'
        All       = 'Report every SKU of the tenant, not only E4 and the target.'
    }
    Examples    = @(
        @{
            Title   = 'E4 and the target side by side'
            Code    = 'Get-E4Subscription -TargetSku SPE_E5'
            Remarks = 'Shows whether Microsoft 365 E5 is active and has enough free seats for the E4 users.'
        }
        @{
            Title   = 'Every SKU to a CSV'
            Code    = 'Get-E4Subscription -All | Export-Csv skus.csv -NoTypeInformation'
            Remarks = 'Writes one row per SKU.'
        }
    )
}
