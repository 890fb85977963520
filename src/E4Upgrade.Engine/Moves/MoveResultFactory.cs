using System.Linq;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>Composes the result (status, error id, message, plans) reported for a pending user.</summary>
    internal sealed class MoveResultFactory
    {
        private readonly MovePlan _plan;

        public MoveResultFactory(MovePlan plan)
        {
            _plan = plan;
        }

        public MoveResult Moved(PendingUser user, string? note)
        {
            var decision = user.Decision!;
            var mapping = decision.Mapping!;
            var message = $"Moved from {_plan.Source.SkuPartNumber} to {_plan.Target.PartNumbers}.";
            if (mapping.DroppedPlanNames.Count > 0)
            {
                message += $" Disabled plans with no counterpart in {_plan.Target.PartNumbers} were dropped: {string.Join(", ", mapping.DroppedPlanNames)}.";
            }

            message += Adjusted(decision, "were");

            if (decision.Note != null)
            {
                message += " " + decision.Note;
            }

            if (note != null)
            {
                message += " " + note;
            }

            var result = _plan.Decider.NewResult(user.User!, MoveStatus.Moved, null, message);
            MoveDecider.Describe(result, decision);
            return result;
        }

        public MoveResult WouldMove(PendingUser user)
        {
            var message = $"Would move from {_plan.Source.SkuPartNumber} to {_plan.Target.PartNumbers}.";
            if (user.Decision!.NeedsUsageLocation)
            {
                message += $" Its usage location would first be set to {_plan.UsageLocation}.";
            }

            if (user.Decision.Mapping!.DroppedPlanNames.Count > 0)
            {
                message += $" Disabled plans with no counterpart would be dropped: {string.Join(", ", user.Decision.Mapping.DroppedPlanNames)}.";
            }

            message += Adjusted(user.Decision, "would be");
            var result = _plan.Decider.NewResult(user.User!, MoveStatus.WouldMove, null, message);
            MoveDecider.Describe(result, user.Decision);
            return result;
        }

        /// <param name="shortSku">The SKU that ran out: the one Graph named in its refusal, else the one whose count reached zero.</param>
        public MoveResult NoSeat(PendingUser user, System.Guid? shortSku, bool refusedByGraph)
        {
            var sku = _plan.Target.Skus.FirstOrDefault(s => s.SkuId == shortSku) ?? _plan.Target.Suite;
            // Failed() adds what did change (a usage location set first) to these messages.
            return Failed(user, ErrorIds.InsufficientLicenses, refusedByGraph
                ? $"Graph reports no free {sku.SkuPartNumber} seat left; no further write needing a seat is sent and this user's licenses were not changed."
                : $"{sku.SkuPartNumber} has no free seat left for this user ({sku.AvailableUnits} were free at the start); its licenses were not changed.");
        }

        /// <summary>What a failed user's row must still say changed: the usage location this run set before the failure.</summary>
        private string ChangedBefore(PendingUser user) =>
            user.UsageLocationSet
                ? $" Its usage location was set to {_plan.UsageLocation} before this failure; that change stays."
                : "";

        private static string Adjusted(MoveDecision decision, string verb)
        {
            var text = decision.Mapping!.AdjustedPlans.Count == 0
                ? ""
                : $" Disabled because a plan they need is disabled, as Graph requires: {string.Join("; ", decision.Mapping.AdjustedPlans)}.";
            return decision.RemovedAddOns.Count == 0
                ? text
                : text + $" Redundant add-ons {verb} removed in the same call: {string.Join(", ", decision.RemovedAddOns.Select(a => a.SkuPartNumber))}.";
        }

        public MoveResult Cancelled(PendingUser user)
        {
            string message;
            switch (user.Stage)
            {
                case PendingStage.Confirm:
                    message = "Cancelled after Graph accepted its assignLicense (200) and before a read confirmed it; run again to check (a moved user is reported AlreadyMoved).";
                    break;
                case PendingStage.Verify:
                    message = "Cancelled while its last assignLicense had no definite answer: whether it was moved is unknown; run again to check (a moved user is reported AlreadyMoved).";
                    break;
                case PendingStage.Write when user.AssignAttempts > 0:
                    message = "Cancelled before a retry of its assignLicense; not moved.";
                    break;
                default:
                    message = "Cancelled before any write for this user; not moved.";
                    break;
            }

            return Failed(user, ErrorIds.Cancelled, message);
        }

        public MoveResult Failed(PendingUser user, string errorId, string message)
        {
            message += ChangedBefore(user);
            MoveResult result;
            if (user.User != null)
            {
                result = _plan.Decider.NewResult(user.User, MoveStatus.Failed, errorId, message);
                if (user.Decision?.Mapping != null)
                {
                    MoveDecider.Describe(result, user.Decision);
                }
            }
            else
            {
                result = new MoveResult
                {
                    UserId = user.Key,
                    UserPrincipalName = user.InputUserPrincipalName ?? (user.Key.Contains("@") ? user.Key : ""),
                    Status = MoveStatus.Failed,
                    Reason = errorId,
                    Message = message,
                };
            }

            return result;
        }
    }
}
