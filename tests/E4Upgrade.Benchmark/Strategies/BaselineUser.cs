using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace E4Upgrade.Benchmark.Strategies;

/// <summary>A user as the baselines' input lists them (what Get-MgUser gives a script): id and UPN.</summary>
public sealed record BaselineUser(string Id, string UserPrincipalName)
{
    public static IReadOnlyList<BaselineUser> ReadAll(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(f => new BaselineUser(f[0], f[1])).ToList();
}
