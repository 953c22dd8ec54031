using System.IO.Compression;
using System.Xml.Linq;

namespace SharpTun.Cli.Tests.Packaging;

/// <summary>The tests that share one pack.</summary>
[CollectionDefinition(PackagesFixture.Collection)]
public sealed class PackagesCollection : ICollectionFixture<PackagesFixture>;

/// <summary>
/// <c>dotnet pack SharpTun.slnx</c> once for the tests of <see cref="Collection"/>, as a user would (README: Using the packages), into a scratch
/// copy of the layout the samples expect (<c>artifacts/packages</c> beside <c>samples/</c>), under a version of its
/// own so that the NuGet cache never serves an older build of the same version. Dispose removes the scratch
/// directory and this version's folders from the NuGet cache.
/// </summary>
public sealed class PackagesFixture : IDisposable
{
    /// <summary>The packages the repository ships: every project under src/.</summary>
    public static readonly string[] Ids =
    [
        "SharpTun.Cli", "SharpTun.Crypto", "SharpTun.IO", "SharpTun.Lab", "SharpTun.Linux", "SharpTun.Netlink",
        "SharpTun.Packets", "SharpTun.Protocol", "SharpTun.Tunnel", "SharpTun.WireGuard", "SharpTun.WireGuard.Host",
        "SharpTun.WireGuard.Hosting",
    ];

    /// <summary>The xunit collection of the tests that use the packages.</summary>
    public const string Collection = "packages";

    public PackagesFixture()
    {
        Directory.CreateDirectory(Packages);
        Pack = Run.Exec("dotnet", ["pack", Path.Combine(Repo.Root, "SharpTun.slnx"), "-c", Repo.Configuration, "--no-build", "-nologo",
            "-v", "q", "-o", Packages, $"-p:Version={Version}"], TimeSpan.FromMinutes(10));
    }

    /// <summary>The scratch root: <c>artifacts/packages</c> and <c>samples</c> go here.</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), UniqueName.Next("stpack"));

    /// <summary>Where the packages were written.</summary>
    public string Packages => Path.Combine(Root, "artifacts", "packages");

    /// <summary>This run's package version (prerelease, unique).</summary>
    public string Version { get; } = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    /// <summary>The pack command's result (checked by the tests, so its output shows in their failure).</summary>
    public ProcessResult Pack { get; }

    /// <summary>The .nuspec inside package <paramref name="id"/>.</summary>
    public XElement Nuspec(string id)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(Packages, $"{id}.{Version}.nupkg"));
        var entry = zip.Entries.Single(e => e.FullName == id + ".nuspec");
        using var s = entry.Open();
        return XDocument.Load(s).Root!;
    }

    /// <summary>The file names inside package <paramref name="id"/> (symbols package with <paramref name="symbols"/>).</summary>
    public List<string> Entries(string id, bool symbols = false)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(Packages, $"{id}.{Version}.{(symbols ? "snupkg" : "nupkg")}"));
        return [.. zip.Entries.Select(e => e.FullName)];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in Ids)
        {
            var dir = Path.Combine(cache, id.ToLowerInvariant(), Version);
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
