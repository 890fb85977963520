using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace E4Upgrade.Loader
{
    /// <summary>
    /// Runs when PowerShell imports the module, before any cmdlet touches the engine. PowerShell reflects over the
    /// cmdlet classes before calling OnImport, so their public surface (parameter and OutputType types, enum
    /// fields) must not name engine types: those would load the engine before this resolver exists. The engine and its
    /// dependencies (Graph, Kiota, Azure.Identity, MSAL, Polly) live in Dependencies/ and never load into the
    /// default context, so they cannot collide with the versions Az.Accounts, ExchangeOnlineManagement or
    /// Microsoft.Graph.Authentication bring (see "Resolving PowerShell module assembly dependency conflicts").
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        internal static string DependencyDirectory =>
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "Dependencies");

        public void OnImport()
        {
            if (IsNetFramework())
            {
                // Windows PowerShell 5.1 has no AssemblyLoadContext: resolve from Dependencies/ into the one
                // AppDomain. Isolation is not possible there; the README says so.
                AppDomain.CurrentDomain.AssemblyResolve += ResolveForNetFramework;
                return;
            }

            RegisterCoreResolver();
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            if (IsNetFramework())
            {
                AppDomain.CurrentDomain.AssemblyResolve -= ResolveForNetFramework;
                return;
            }

            UnregisterCoreResolver();
        }

        private static bool IsNetFramework() =>
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        // Kept in separate non-inlined methods so Windows PowerShell never JITs code that names AssemblyLoadContext.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void RegisterCoreResolver() => DefaultContextBridge.Register();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void UnregisterCoreResolver() => DefaultContextBridge.Unregister();

        private static Assembly? ResolveForNetFramework(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name).Name;
            var path = Path.Combine(DependencyDirectory, name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
