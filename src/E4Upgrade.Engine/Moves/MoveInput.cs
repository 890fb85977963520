using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using E4Upgrade.Engine.Graph;

namespace E4Upgrade.Engine.Moves
{
    /// <summary>One input item: a user to read, or a user already read with its licenses.</summary>
    internal sealed class MoveInput
    {
        private MoveInput(UserReference? reference, UserLicenses? user)
        {
            Reference = reference;
            User = user;
        }

        public UserReference? Reference { get; }
        public UserLicenses? User { get; }

        public static async IAsyncEnumerable<MoveInput> From(IAsyncEnumerable<UserReference> users, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var user in users.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                yield return new MoveInput(user, null);
            }
        }

        public static async IAsyncEnumerable<MoveInput> From(IAsyncEnumerable<UserLicenses> users, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var user in users.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                yield return new MoveInput(null, user);
            }
        }
    }
}
