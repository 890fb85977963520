using E4Upgrade.Loader;
using Xunit;

namespace E4Upgrade.Loader.Tests;

/// <summary>The module load context's rule: the runtime's copy only when it is at least the version the module ships (and asks for).</summary>
public class AssemblyChoiceTests
{
    private static readonly Version V10 = new(10, 0, 0, 0);
    private static readonly Version V8 = new(8, 0, 0, 0);

    [Fact]
    public void On_PowerShell_7_4_an_older_runtime_System_Text_Json_gives_way_to_the_modules_own()
    {
        // Azure.Core and Kiota in Dependencies/ were built against System.Text.Json 10.0.0.0; .NET 8 ships 8.0.0.0.
        Assert.Equal(AssemblySource.Own, AssemblyChoice.For(ownCopy: V10, runtime: V8));
    }

    [Theory]
    [InlineData("10.0.0.0", "10.0.0.0")] // PowerShell 7.6 on .NET 10: one System.Text.Json, the runtime's
    [InlineData("8.0.0.0", "10.0.0.0")]
    [InlineData("4.0.1.2", "10.0.0.0")] // netstandard-era package copies (System.Memory, ...) never replace the runtime's
    public void A_runtime_copy_at_least_as_new_as_the_modules_is_taken(string own, string runtime)
    {
        Assert.Equal(AssemblySource.Runtime, AssemblyChoice.For(Version.Parse(own), Version.Parse(runtime)));
    }

    [Fact]
    public void An_assembly_the_runtime_does_not_ship_comes_from_Dependencies()
    {
        Assert.Equal(AssemblySource.Own, AssemblyChoice.For(ownCopy: new Version(1, 46, 0, 0), runtime: null));
    }

    [Fact]
    public void An_assembly_the_module_does_not_ship_comes_from_the_runtime_whatever_its_version()
    {
        Assert.Equal(AssemblySource.Runtime, AssemblyChoice.For(ownCopy: null, runtime: V8));
        Assert.Equal(AssemblySource.Runtime, AssemblyChoice.For(ownCopy: null, runtime: null));
    }
}
