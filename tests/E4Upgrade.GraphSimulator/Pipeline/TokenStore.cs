using System;
using System.Collections.Concurrent;
using E4Upgrade.GraphSimulator.Options;

namespace E4Upgrade.GraphSimulator.Pipeline;

internal enum TokenCheck
{
    Missing,
    Unknown,
    Expired,
    ReadOnly,
    FullRights,
}

/// <summary>The bearer tokens the simulator accepts; tokens can be added and revoked at run time.</summary>
internal sealed class TokenStore
{
    private readonly ConcurrentDictionary<string, TokenEntry> tokens = new();
    private readonly SimulatorOptions options;

    public TokenStore(SimulatorOptions options)
    {
        this.options = options;
        Reset();
    }

    public void Reset()
    {
        tokens.Clear();
        foreach (var token in options.EffectiveTokens)
        {
            tokens[token] = new TokenEntry(false, false);
        }

        foreach (var token in options.ReadTokens)
        {
            tokens[token] = new TokenEntry(true, false);
        }
    }

    public void Add(string token, bool readOnly) => tokens[token] = new TokenEntry(readOnly, false);

    /// <summary>A token that Graph refuses as expired from <paramref name="expiresAt"/> on (a managed identity's).</summary>
    public void Add(string token, bool readOnly, DateTimeOffset expiresAt) => tokens[token] = new TokenEntry(readOnly, false, expiresAt);

    public bool Revoke(string token)
    {
        if (!tokens.TryGetValue(token, out var entry))
        {
            return false;
        }

        tokens[token] = entry with { Revoked = true };
        return true;
    }

    /// <summary>The bearer token of an Authorization header, or "" when there is none.</summary>
    public static string TokenOf(string? authorizationHeader)
    {
        const string prefix = "Bearer ";
        return string.IsNullOrWhiteSpace(authorizationHeader) || !authorizationHeader.StartsWith(prefix, System.StringComparison.OrdinalIgnoreCase)
            ? string.Empty
            : authorizationHeader.Substring(prefix.Length).Trim();
    }

    public TokenCheck Check(string? authorizationHeader)
    {
        var token = TokenOf(authorizationHeader);
        if (token.Length == 0)
        {
            return TokenCheck.Missing;
        }

        if (!tokens.TryGetValue(token, out var entry))
        {
            return TokenCheck.Unknown;
        }

        return entry.Revoked || entry.ExpiresAt <= DateTimeOffset.UtcNow ? TokenCheck.Expired : entry.ReadOnly ? TokenCheck.ReadOnly : TokenCheck.FullRights;
    }

    private sealed record TokenEntry(bool ReadOnly, bool Revoked, DateTimeOffset? ExpiresAt = null);
}
