namespace E4Upgrade.GraphSimulator.Pipeline;

/// <summary>Who sent a call: the bearer token as given (it keys early-retry tracking) and whether it may write.</summary>
internal sealed record Caller(string Token, bool ReadOnly);
