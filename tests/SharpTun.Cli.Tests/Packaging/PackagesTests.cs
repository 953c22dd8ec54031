using System.Xml.Linq;

namespace SharpTun.Cli.Tests.Packaging;

/// <summary>
/// What <c>dotnet pack SharpTun.slnx</c> writes: one package per project under src/ (no test project), each with its
/// own description, tags, MIT license, readme, XML docs and a symbols package, and dependencies that are all
/// packages the same pack wrote (or stable packages from NuGet): nothing a user cannot restore.
/// </summary>
[Collection(PackagesFixture.Collection)]
public sealed class PackagesTests(PackagesFixture packages)
{
    private static XNamespace Ns(XElement nuspec) => nuspec.Name.Namespace;

    [Fact]
    public void Pack_WritesExactlyTheLibraryPackagesAndTheTool_WithSymbols()
    {
        Assert.True(packages.Pack.ExitCode == 0, $"dotnet pack failed:\n{packages.Pack}");
        var written = Directory.GetFiles(packages.Packages).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        var expected = PackagesFixture.Ids.SelectMany(id => new[] { $"{id}.{packages.Version}.nupkg", $"{id}.{packages.Version}.snupkg" })
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, written);
    }

    [Fact]
    public void EveryPackage_HasItsOwnMetadata_License_Readme_Docs()
    {
        Assert.True(packages.Pack.ExitCode == 0, $"dotnet pack failed:\n{packages.Pack}");
        var descriptions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in PackagesFixture.Ids)
        {
            var m = packages.Nuspec(id).Element(Ns(packages.Nuspec(id)) + "metadata")!;
            string Get(string name) => m.Element(m.Name.Namespace + name)?.Value ?? "";
            Assert.Equal(id, Get("id"));
            Assert.Equal(packages.Version, Get("version"));
            var description = Get("description");
            Assert.True(description.Length > 40 && description != "Package Description", $"{id}: description '{description}'");
            Assert.True(descriptions.Add(description), $"{id}: description shared with another package");
            Assert.NotEqual("", Get("tags"));
            Assert.Equal("MIT", Get("license"));
            Assert.Equal("README.md", Get("readme"));
            Assert.Equal("git", m.Element(m.Name.Namespace + "repository")?.Attribute("type")?.Value);
            var files = packages.Entries(id);
            Assert.Contains("README.md", files);
            Assert.Contains("LICENSE", files);
            if (id == "SharpTun.Cli")
            {
                Assert.Contains(m.Element(m.Name.Namespace + "packageTypes")!.Elements(), t => t.Attribute("name")?.Value == "DotnetTool");
                Assert.Contains("tools/net10.0/any/sharptun.dll", files);
                continue;
            }
            Assert.Contains($"lib/net10.0/{id}.dll", files);
            Assert.Contains($"lib/net10.0/{id}.xml", files);
            Assert.Contains($"lib/net10.0/{id}.pdb", packages.Entries(id, symbols: true));
        }
    }

    /// <summary>
    /// Dependencies are the projects each one really references (DisableTransitiveProjectReferences), as packages
    /// this pack wrote, at its version; anything else is a stable NuGet package (a stable package cannot depend on a
    /// prerelease: NU5104). The expected table is the project graph: a new reference is a visible diff here.
    /// </summary>
    [Fact]
    public void Dependencies_AreTheDeclaredProjects_AndStablePackages()
    {
        Assert.True(packages.Pack.ExitCode == 0, $"dotnet pack failed:\n{packages.Pack}");
        var expected = new Dictionary<string, string[]>
        {
            ["SharpTun.Crypto"] = [],
            ["SharpTun.IO"] = [],
            ["SharpTun.Packets"] = ["SharpTun.IO"],
            ["SharpTun.Protocol"] = [],
            ["SharpTun.Netlink"] = [],
            ["SharpTun.Linux"] = ["SharpTun.IO", "SharpTun.Netlink"],
            ["SharpTun.WireGuard"] = ["SharpTun.Crypto", "SharpTun.IO"],
            ["SharpTun.Tunnel"] = ["SharpTun.IO", "SharpTun.Linux", "SharpTun.Netlink", "SharpTun.Packets", "SharpTun.Protocol"],
            ["SharpTun.WireGuard.Host"] = ["Microsoft.Extensions.Logging", "SharpTun.IO", "SharpTun.Linux", "SharpTun.Netlink", "SharpTun.Packets", "SharpTun.WireGuard"],
            ["SharpTun.Lab"] = ["SharpTun.IO", "SharpTun.Linux", "SharpTun.Netlink", "SharpTun.Packets", "SharpTun.Tunnel", "SharpTun.WireGuard", "SharpTun.WireGuard.Host"],
            ["SharpTun.WireGuard.Hosting"] = ["Microsoft.Extensions.Hosting.Abstractions", "SharpTun.WireGuard.Host"],
            ["SharpTun.Cli"] = [], // a tool package carries its dependencies inside
        };
        foreach (var id in PackagesFixture.Ids)
        {
            var nuspec = packages.Nuspec(id);
            var deps = nuspec.Descendants(Ns(nuspec) + "dependency")
                .Select(d => (Id: d.Attribute("id")!.Value, Version: d.Attribute("version")!.Value)).ToList();
            Assert.Equal(expected[id], deps.Select(d => d.Id).Order(StringComparer.Ordinal).ToArray());
            foreach (var (dep, version) in deps)
            {
                if (dep.StartsWith("SharpTun.", StringComparison.Ordinal))
                {
                    Assert.Equal(packages.Version, version);
                    Assert.True(File.Exists(Path.Combine(packages.Packages, $"{dep}.{packages.Version}.nupkg")), $"{id} depends on {dep}, which the pack did not write");
                }
                else
                {
                    Assert.DoesNotContain("-", version, StringComparison.Ordinal);
                }
            }
        }
    }
}
