namespace E4Upgrade.GraphSimulator.Pipeline;

/// <summary>
/// Who sent a call: the bearer token as given (it keys early-retry tracking), whether it may write, and the
/// permissions its JWT claims grant (null for a plain token: every permission).
/// </summary>
internal sealed record Caller(string Token, bool ReadOnly)
{
    public GrantedPermissions? Granted { get; } = GrantedPermissions.FromToken(Token);
}
