using System;
using System.Collections.Generic;
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

    /// <summary>Loads the engine's private dependencies from Dependencies/; what the runtime itself ships comes from the runtime.</summary>
    internal sealed class ModuleLoadContext : AssemblyLoadContext
    {
        private readonly string dependencyDirectory;
        private readonly HashSet<string> platformAssemblies;

        // The netstandard reference of AssemblyLoadContext has no named constructor; tests find this context
        // through AssemblyLoadContext.GetLoadContext on the engine assembly.
        public ModuleLoadContext(string dependencyDirectory)
            : base()
        {
            this.dependencyDirectory = dependencyDirectory;
            platformAssemblies = ReadPlatformAssemblyNames();
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var name = assemblyName.Name ?? string.Empty;

            // Assemblies PowerShell and .NET ship (System.Text.Json, Microsoft.Bcl.AsyncInterfaces, ...) must be the
            // runtime's own, so that types crossing from the engine to the cmdlets (IAsyncEnumerable, ...) are one type.
            if (platformAssemblies.Contains(name))
            {
                return null;
            }

            var path = Path.Combine(dependencyDirectory, name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        private static HashSet<string> ReadPlatformAssemblyNames()
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
            foreach (var path in list.Split(Path.PathSeparator))
            {
                if (path.Length > 0)
                {
                    names.Add(Path.GetFileNameWithoutExtension(path));
                }
            }

            return names;
        }
    }
}
