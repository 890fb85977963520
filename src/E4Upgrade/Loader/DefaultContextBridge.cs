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

        public static void Register() => Register(ModuleInitializer.DependencyDirectory);

        /// <summary>Also called by the .NET 8 test host (tests/E4Upgrade.Net8Host), which has no PowerShell to run OnImport.</summary>
        public static void Register(string dependencyDirectory)
        {
            lock (Gate)
            {
                context ??= new ModuleLoadContext(dependencyDirectory);
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

    /// <summary>
    /// Loads the engine's private dependencies from Dependencies/, except where the runtime ships the assembly in a
    /// version at least as new as the module's copy (see <see cref="AssemblyChoice"/>).
    /// </summary>
    internal sealed class ModuleLoadContext : AssemblyLoadContext
    {
        private readonly string dependencyDirectory;
        private readonly Dictionary<string, string> platformAssemblies;
        private readonly Dictionary<string, Version?> versions = new Dictionary<string, Version?>(StringComparer.OrdinalIgnoreCase);

        // The netstandard reference of AssemblyLoadContext has no named constructor; tests find this context
        // through AssemblyLoadContext.GetLoadContext on the engine assembly.
        public ModuleLoadContext(string dependencyDirectory)
            : base()
        {
            this.dependencyDirectory = dependencyDirectory;
            platformAssemblies = ReadPlatformAssemblies();
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var name = assemblyName.Name ?? string.Empty;
            var ownPath = Path.Combine(dependencyDirectory, name + ".dll");
            var own = VersionOf(name, File.Exists(ownPath) ? ownPath : null);
            var runtime = VersionOf("runtime:" + name, platformAssemblies.TryGetValue(name, out var platformPath) ? platformPath : null);
            return AssemblyChoice.For(own, runtime) == AssemblySource.Own ? LoadFromAssemblyPath(ownPath) : null;
        }

        private Version? VersionOf(string key, string? path)
        {
            lock (versions)
            {
                if (!versions.TryGetValue(key, out var version))
                {
                    version = path == null ? null : AssemblyName.GetAssemblyName(path).Version;
                    versions[key] = version;
                }

                return version;
            }
        }

        private static Dictionary<string, string> ReadPlatformAssemblies()
        {
            var assemblies = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
            foreach (var path in list.Split(Path.PathSeparator))
            {
                if (path.Length > 0)
                {
                    assemblies[Path.GetFileNameWithoutExtension(path)] = path;
                }
            }

            return assemblies;
        }
    }

    internal enum AssemblySource
    {
        /// <summary>Let the default context (the runtime, PowerShell) supply it.</summary>
        Runtime,
        /// <summary>Load the module's own copy from Dependencies/.</summary>
        Own,
    }

    /// <summary>
    /// The one rule for where an assembly the engine asks for comes from, decided once per name so that the context
    /// never holds two copies. The runtime's copy is taken when it is at least the version the module ships in
    /// Dependencies/ (which NuGet made the highest version any of the module's assemblies asks for): then every request
    /// is satisfied by it, types crossing from the engine to the cmdlets (IAsyncEnumerable, ...) are one type, and
    /// PowerShell's own newer libraries are used. When the runtime's copy is older, as System.Text.Json 8.0 on
    /// PowerShell 7.4 (.NET 8) is for an Azure.Core and Kiota built against 10.0, the module's own copy serves every
    /// request of that name, and its own dependencies (System.Text.Encodings.Web 10.0, ...) follow by the same rule.
    /// An assembly the module does not ship comes from the runtime whatever its version.
    /// </summary>
    internal static class AssemblyChoice
    {
        public static AssemblySource For(Version? ownCopy, Version? runtime)
        {
            if (ownCopy == null)
            {
                return AssemblySource.Runtime;
            }

            return runtime != null && runtime >= ownCopy ? AssemblySource.Runtime : AssemblySource.Own;
        }
    }
}
