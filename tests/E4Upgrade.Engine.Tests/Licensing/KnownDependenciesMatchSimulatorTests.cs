using E4Upgrade.Engine.Licensing;
using E4Upgrade.GraphSimulator.Licensing;
using Xunit;

namespace E4Upgrade.Engine.Tests.Licensing;

/// <summary>
/// Every sourced dependency the simulator enforces (its Data/licensing-rules.json) is known to the engine before its
/// first write, with the same bases, and the engine knows none the simulator lacks: a run on the realistic profile
/// meets no dependency 400 it could have known.
/// </summary>
public sealed class KnownDependenciesMatchSimulatorTests
{
    [Fact]
    public void The_engine_knows_exactly_the_simulators_sourced_dependencies()
    {
        var simulator = LicensingRules.Shared.Dependencies
            .Select(d => d.Plan + " <- " + string.Join("|", d.RequiresAnyOf.OrderBy(p => p, StringComparer.Ordinal)))
            .OrderBy(r => r, StringComparer.Ordinal);
        var engine = KnownPlanDependencies.All
            .Select(d => d.Plan + " <- " + string.Join("|", d.Requires.OrderBy(p => p, StringComparer.Ordinal)))
            .OrderBy(r => r, StringComparer.Ordinal);

        Assert.Equal(simulator, engine);
        Assert.All(KnownPlanDependencies.All, d => Assert.Equal(DependencyKind.AnyOf, d.Kind));
    }
}
