using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Kiota.Abstractions.Authentication;

namespace E4Upgrade.Benchmark.Strategies;

/// <summary>
/// A token obtained elsewhere, sent only to the Graph host it was given for. The SDK's Azure.Identity provider
/// silently sends no token to a non-Microsoft host (toolchain-notes.md), so the simulator's host is named here.
/// </summary>
public sealed class StaticTokenProvider : IAccessTokenProvider
{
    private readonly string token;

    public StaticTokenProvider(string token, Uri graphUrl)
    {
        this.token = token;
        AllowedHostsValidator = new AllowedHostsValidator(new[] { graphUrl.Host });
    }

    public AllowedHostsValidator AllowedHostsValidator { get; }

    public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(AllowedHostsValidator.IsUrlHostValid(uri) ? token : string.Empty);
}
