using System;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Upgrade
{
    /// <summary>How an admin cancels E4 (doc sections 7 and 8): there is no public API for it.</summary>
    internal static class CancellationInstructions
    {
        public static string For(SkuInfo source, SubscriptionSummary summary)
        {
            var licenses = Math.Max(summary.TotalLicenses, source.EnabledUnits);
            var reduce = licenses > 25
                ? $" It has {licenses} licenses: online cancellation needs 25 or fewer, so reduce the license count first (Billing > Your products > the subscription > Add or remove licenses)."
                : "";
            return $"{source.SkuPartNumber} has no seat in use and no group assigns it; it can be cancelled. " +
                "There is no public API to cancel a subscription bought directly from Microsoft (Graph subscribedSkus and directory/subscriptions are read-only), so E4Upgrade does not cancel it. " +
                "Cancel it in the Microsoft 365 admin center: Billing > Your products > the Office 365 E4 subscription > Cancel subscription." + reduce +
                " With a Microsoft Customer Agreement, a prorated cancellation is only possible within 7 days of purchase or renewal; after that, turn off recurring billing so it ends at the renewal date. Remove any custom domain tied to the subscription first. " +
                "If E4 was bought through a CSP partner, the partner cancels it in Partner Center; Volume Licensing customers go through their Microsoft account representative.";
        }
    }
}
