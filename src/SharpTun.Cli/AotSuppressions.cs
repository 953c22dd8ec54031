using System.Diagnostics.CodeAnalysis;

// WgBackground (owned by the wg commands) reads Assembly.Location only when this program runs as
// "dotnet sharptun.dll"; the native binary is its own Environment.ProcessPath and never gets there.
[assembly: SuppressMessage("SingleFile", "IL3000:Avoid accessing Assembly file path when publishing as a single file",
    Scope = "member", Target = "~M:SharpTun.Cli.Commands.WgBackground.Start(System.String,System.String,System.String,System.String)~System.Int32",
    Justification = "Assembly.Location is read only under the dotnet host, never in the native binary.")]
[assembly: UnconditionalSuppressMessage("SingleFile", "IL3000:Avoid accessing Assembly file path when publishing as a single file",
    Scope = "member", Target = "M:SharpTun.Cli.Commands.WgBackground.Start(System.String,System.String,System.String,System.String)",
    Justification = "Assembly.Location is read only under the dotnet host, never in the native binary.")]
