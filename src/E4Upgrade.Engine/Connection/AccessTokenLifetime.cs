using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;
using E4Upgrade.Engine.Upgrade;

namespace E4Upgrade.Engine.Connection
{
    /// <summary>
    /// At connect, whether an -AccessToken (never refreshed) outlives an upgrade of the tenant: the tenant's E4 seats in
    /// use, moved at Graph's write quota (<see cref="UpgradeDurationEstimate"/>, direct writes only, so a lower bound),
    /// against the token's remaining life less the margin a run keeps (<see cref="RunDeadline.TokenExpiryMargin"/>).
    /// </summary>
    public static class AccessTokenLifetime
    {
        /// <summary>The warning to show, or null when the token lasts long enough (or the tenant has no E4 user).</summary>
        public static string? WarningFor(DateTimeOffset expiresOn, DateTimeOffset now, IEnumerable<SkuInfo> skus)
        {
            var e4Users = skus.Where(E4SkuFamily.IsE4).Sum(s => (long)s.ConsumedUnits);
            if (e4Users == 0)
            {
                return null;
            }

            var estimate = UpgradeDurationEstimate.For(e4Users, 0, 0).DirectUsers;
            var left = expiresOn - now;
            if (left - RunDeadline.TokenExpiryMargin >= estimate)
            {
                return null;
            }

            return $"The access token expires at {expiresOn.ToUniversalTime():u}, in {Math.Max(0, left.TotalMinutes):0} minutes; moving the tenant's {e4Users:N0} E4 users takes at least {Describe(estimate)} at Graph's write quota. "
                + $"The token cannot be refreshed: Start-E4Upgrade stops with TokenExpired {RunDeadline.TokenExpiryMargin.TotalMinutes:0} minutes before it expires, and the same command continues with a new token. "
                + "A certificate or managed identity sign-in is renewed as the run goes.";
        }

        private static string Describe(TimeSpan span) =>
            span < TimeSpan.FromMinutes(1) ? $"{Math.Max(1, (int)Math.Ceiling(span.TotalSeconds))} s" : $"{(int)Math.Ceiling(span.TotalMinutes)} min";
    }
}
