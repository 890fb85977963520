using System.Collections.Generic;
using E4Upgrade.Engine.Moves;

namespace E4Upgrade.Output
{
    /// <summary>
    /// One user's outcome, as Move-UserLicense and Start-E4Upgrade -PassThru emit it. Plan lists are joined with
    /// "; " so the object goes into Export-Csv as it is.
    /// </summary>
    public sealed class LicenseMoveResult
    {
        internal LicenseMoveResult(MoveResult result, string fromSku, string toSku)
        {
            UserId = result.UserId;
            UserPrincipalName = result.UserPrincipalName;
            Status = result.Status.ToString();
            Reason = result.Reason;
            Message = result.Message;
            DisabledPlansBefore = Join(result.DisabledPlansBefore);
            DisabledPlansAfter = Join(result.DisabledPlansAfter);
            DroppedPlans = Join(result.DroppedPlans);
            AdjustedPlans = Join(result.AdjustedPlans);
            RemovedAddOns = Join(result.RemovedAddOns);
            GroupId = result.GroupId;
            Attempts = result.Attempts;
            FromSku = fromSku;
            ToSku = toSku;
        }

        public string UserId { get; }
        public string UserPrincipalName { get; }
        /// <summary>Moved, AlreadyMoved, Skipped, Failed, or WouldMove under -WhatIf.</summary>
        public string Status { get; }
        public string? Reason { get; }
        public string? Message { get; }
        public string DisabledPlansBefore { get; }
        public string DisabledPlansAfter { get; }
        public string DroppedPlans { get; }
        /// <summary>Target plans disabled because a plan they depend on is disabled ("PLAN (SKU): why; ...").</summary>
        public string AdjustedPlans { get; }
        /// <summary>Redundant add-ons removed in the same call (-RemoveRedundantAddOns).</summary>
        public string RemovedAddOns { get; }
        public string? GroupId { get; }
        public int Attempts { get; }
        public string FromSku { get; }
        public string ToSku { get; }

        private static string Join(IReadOnlyList<string> values) => string.Join("; ", values);
    }
}
