using System.Threading;
using System.Threading.Tasks;

namespace E4Upgrade.GraphSimulator;

internal static class Program
{
    public static Task<int> Main(string[] args) => SimulatorHost.RunAsync(args, CancellationToken.None);
}
