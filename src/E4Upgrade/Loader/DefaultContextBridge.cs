using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace E4Upgrade.Loader
{
    /// <summary>
    /// The one door between the default load context and the module's own: when the cmdlet assembly asks for
    /// E4Upgrade.Engine, it is loaded into <see cref="ModuleLoadContext"/>, and from then on every assembly the
    /// engine references resolves there first.
    /// </summary>
    internal static class DefaultContextBridge
    {
        private const string EngineAssemblyName = "E4Upgrade.Engine";
        private static readonly object Gate = new object();
        private static ModuleLoadContext? context;

        public static void Register()
        {
            lock (Gate)
            {
                context ??= new ModuleLoadContext(ModuleInitializer.DependencyDirectory);
            }

            AssemblyLoadContext.Default.Resolving += ResolveEngine;
        }

        public static void Unregister() => AssemblyLoadContext.Default.Resolving -= ResolveEngine;

        private static Assembly? ResolveEngine(AssemblyLoadContext defaultContext, AssemblyName name)
        {
            if (!string.Equals(name.Name, EngineAssemblyName, StringComparison.Ordinal))
            {
                return null;
            }

            return context!.LoadFromAssemblyName(name);
        }
    }

    /// <summary>Loads the engine's private dependencies from Dependencies/; framework assemblies come from the runtime.</summary>
    internal sealed class ModuleLoadContext : AssemblyLoadContext
    {
        private readonly string dependencyDirectory;

        // The netstandard reference of AssemblyLoadContext has no named constructor; tests find this context
        // through AssemblyLoadContext.GetLoadContext on the engine assembly.
        public ModuleLoadContext(string dependencyDirectory)
            : base()
        {
            this.dependencyDirectory = dependencyDirectory;
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var name = assemblyName.Name ?? string.Empty;

            // Shared contracts (System.*, netstandard, IAsyncEnumerable's Microsoft.Bcl.AsyncInterfaces) must be the
            // runtime's own so that types crossing from the engine to the cmdlets are the same types.
            if (IsSharedWithRuntime(name))
            {
                return null;
            }

            var path = Path.Combine(dependencyDirectory, name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        private static bool IsSharedWithRuntime(string name) =>
            name.StartsWith("System.", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.Bcl.", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.Win32.", StringComparison.Ordinal)
            || name == "System"
            || name == "netstandard"
            || name == "mscorlib"
            || name == "Microsoft.CSharp";
    }
}
