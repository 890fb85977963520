using System;
using System.Collections.Generic;
using System.Linq;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>
    /// What <see cref="UserMoveMachine.Next"/> returns: the user's new state, what the scheduler does with the user
    /// next, and the changes outside the user it makes first, in order.
    /// </summary>
    internal sealed class UserStep
    {
        public UserStep(PendingUser user, UserCommand command, IReadOnlyList<UserEffect>? effects = null, WriteRequest? request = null)
        {
            User = user;
            Command = command;
            Effects = effects ?? Array.Empty<UserEffect>();
            Request = request;
        }

        public PendingUser User { get; }
        public UserCommand Command { get; }
        public IReadOnlyList<UserEffect> Effects { get; }
        /// <summary>With <see cref="UserCommandKind.Send"/> for a write: the request to send.</summary>
        public WriteRequest? Request { get; }

        public override string ToString() =>
            Effects.Count == 0 ? Command.ToString() : Command + " [" + string.Join(", ", Effects.Select(e => e.ToString())) + "]";
    }
}
