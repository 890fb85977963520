using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Security;
using E4Upgrade.Engine.Connection;
using E4Upgrade.Engine.Upgrade;

// Usage: E4Upgrade.Net8Host <module folder> <graph endpoint> <token> <journal path>
// Prints "key=value" lines; exit code 0 only when the whole upgrade succeeded on .NET 8.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: E4Upgrade.Net8Host <module folder> <graph endpoint> <token> <journal path>");
    return 2;
}

Console.WriteLine($"runtime={Environment.Version}");
Console.WriteLine($"runtimeSystemTextJson={typeof(System.Text.Json.JsonSerializer).Assembly.GetName().Version}");

// What PowerShell does on Import-Module: load the cmdlet assembly into the default context and run its initializer.
// The initializer type implements PowerShell interfaces this host does not have, so its one call is made directly.
var cmdlets = Assembly.LoadFrom(Path.Combine(args[0], "E4Upgrade.dll"));
cmdlets.GetType("E4Upgrade.Loader.DefaultContextBridge", throwOnError: true)!
    .GetMethod("Register", BindingFlags.Public | BindingFlags.Static, new[] { typeof(string) })!
    .Invoke(null, new object[] { Path.Combine(args[0], "Dependencies") });

return await Upgrade.RunAsync(new Uri(args[1]), args[2], args[3]);

internal static class Upgrade
{
    // Not inlined: the engine's types must first be needed after the bridge is registered, as in the module.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static async Task<int> RunAsync(Uri endpoint, string token, string journal)
    {
        var secure = new SecureString();
        foreach (var c in token) secure.AppendChar(c);
        secure.MakeReadOnly();

        using var session = await GraphConnector.ConnectAsync(
            new ConnectionOptions { AuthMethod = GraphAuthMethod.AccessToken, AccessToken = secure, GraphEndpoint = endpoint }, null, CancellationToken.None);
        var engine = typeof(GraphConnector).Assembly;
        Console.WriteLine($"engineLoadContext={AssemblyLoadContext.GetLoadContext(engine)?.GetType().FullName}");

        var summary = await new UpgradeRunner(session.Gateway).RunAsync(new UpgradeOptions
        {
            TargetSku = "SPE_E5",
            UsageLocation = "US",
            TenantId = session.DirectoryTenantId,
            JournalPath = journal,
            GroupPollInterval = TimeSpan.FromMilliseconds(200),
            TargetPollInterval = TimeSpan.FromMilliseconds(200),
        }, null, CancellationToken.None);

        foreach (var name in new[] { "System.Text.Json", "Azure.Core", "Microsoft.Graph", "Polly.Core" })
        {
            var loaded = AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == name)
                .Select(a => $"{a.GetName().Version}@{AssemblyLoadContext.GetLoadContext(a)?.GetType().Name}");
            Console.WriteLine($"loaded.{name}={string.Join(",", loaded)}");
        }

        Console.WriteLine($"moved={summary.Moved}");
        Console.WriteLine($"groupsSwapped={summary.GroupsSwapped}");
        Console.WriteLine($"failed={summary.Failed}");
        Console.WriteLine($"succeeded={summary.Succeeded}");
        return summary.Succeeded ? 0 : 1;
    }
}
