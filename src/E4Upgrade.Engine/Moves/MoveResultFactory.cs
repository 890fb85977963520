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
            var mapping = user.Decision!.Mapping!;
            var message = $"Moved from {_plan.Source.SkuPartNumber} to {_plan.Target.SkuPartNumber}.";
            if (mapping.DroppedPlanNames.Count > 0)
            {
                message += $" Disabled plans with no counterpart in {_plan.Target.SkuPartNumber} were dropped: {string.Join(", ", mapping.DroppedPlanNames)}.";
            }

            if (user.Decision.Note != null)
            {
                message += " " + user.Decision.Note;
            }

            if (note != null)
            {
                message += " " + note;
            }

            var result = _plan.Decider.NewResult(user.User!, MoveStatus.Moved, null, message);
            MoveDecider.Describe(result, mapping);
            return result;
        }

        public MoveResult WouldMove(PendingUser user)
        {
            var message = $"Would move from {_plan.Source.SkuPartNumber} to {_plan.Target.SkuPartNumber}.";
            if (user.Decision!.NeedsUsageLocation)
            {
                message += $" Its usage location would first be set to {_plan.UsageLocation}.";
            }

            if (user.Decision.Mapping!.DroppedPlanNames.Count > 0)
            {
                message += $" Disabled plans with no counterpart would be dropped: {string.Join(", ", user.Decision.Mapping.DroppedPlanNames)}.";
            }

            var result = _plan.Decider.NewResult(user.User!, MoveStatus.WouldMove, null, message);
            MoveDecider.Describe(result, user.Decision.Mapping);
            return result;
        }

        public MoveResult NoSeat(PendingUser user, bool refusedByGraph) =>
            Failed(user, ErrorIds.InsufficientLicenses, refusedByGraph
                ? $"Graph reports no free {_plan.Target.SkuPartNumber} seat left; no further write needing a seat is sent and this user was not changed."
                : $"{_plan.Target.SkuPartNumber} has no free seat left for this user ({_plan.Target.AvailableUnits} were free at the start); it was not changed.");

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
            MoveResult result;
            if (user.User != null)
            {
                result = _plan.Decider.NewResult(user.User, MoveStatus.Failed, errorId, message);
                if (user.Decision?.Mapping != null)
                {
                    MoveDecider.Describe(result, user.Decision.Mapping);
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
