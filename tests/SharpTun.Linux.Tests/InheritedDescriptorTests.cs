using System.Globalization;
using SharpTun.Linux.Namespaces;
using SharpTun.Linux.Tun;

namespace SharpTun.Linux.Tests;

/// <summary>
/// Descriptors handed across exec as wireguard-go hands WG_TUN_FD / WG_UAPI_FD: close-on-exec cleared for the
/// child, set again when taken back; a tun descriptor adopted with its name, flags and virtio-net header.
/// </summary>
public sealed class InheritedDescriptorTests
{
    private const int OCloexec = 0x80000; // 02000000 octal in /proc/PID/fdinfo "flags:"
    private const int ONonblock = 0x800;

    [Fact]
    public void Parse_Unset_IsNull_Garbage_AndClosed_AreNamed()
    {
        var variable = "SHARPTUN_TEST_FD_" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        try
        {
            Assert.Null(InheritedDescriptor.Parse(variable));
            Environment.SetEnvironmentVariable(variable, "abc");
            Assert.Equal($"{variable}='abc' is not a descriptor number (3 or more)",
                Assert.Throws<ArgumentException>(() => InheritedDescriptor.Parse(variable)).Message);
            Environment.SetEnvironmentVariable(variable, "987654");
            Assert.StartsWith($"{variable}=987654: descriptor 987654 is not open (",
                Assert.Throws<ArgumentException>(() => InheritedDescriptor.Parse(variable)).Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void Inherit_ClearsCloseOnExec_Parse_SetsItAgain()
    {
        var variable = "SHARPTUN_TEST_FD2_" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        using var file = File.OpenHandle("/dev/null");
        Assert.NotEqual(0, Flags((int)file.DangerousGetHandle()) & OCloexec);
        var fd = InheritedDescriptor.Inherit(file, "/dev/null");
        Assert.Equal((int)file.DangerousGetHandle(), fd);
        Assert.Equal(0, Flags(fd) & OCloexec);
        try
        {
            Environment.SetEnvironmentVariable(variable, fd.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(fd, InheritedDescriptor.Parse(variable));
            Assert.NotEqual(0, Flags(fd) & OCloexec);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void Adopt_NotATunDescriptor_SaysSo()
    {
        var file = File.OpenHandle("/dev/null");
        var fd = (int)file.DangerousGetHandle();
        file.SetHandleAsInvalid(); // Adopt owns it now
        var e = Assert.Throws<TunException>(() => TunDevice.Adopt(fd));
        Assert.StartsWith($"cannot use descriptor {fd} as a tun device: it is not an attached /dev/net/tun descriptor (TUNGETIFF: ", e.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public void Adopt_TakesNameVnetHeaderAndPackets_NonBlockingCloseOnExec()
    {
        using var ns = NetNs.Create();
        var name = UniqueName.Next("ad");
        var dev = NetNamespace.Run(ns.Name, () => TunDevice.Open(new TunOptions { Name = name, VnetHdr = true }));
        var fd = InheritedDescriptor.Inherit(dev.Handle, "the test device");
        dev.Handle.SetHandleAsInvalid(); // the descriptor moves to the adopted queue (as to a child)
        dev.Dispose();
        using var adopted = TunDevice.Adopt(fd);
        Assert.Equal(name, adopted.Name);
        Assert.Equal(TunMode.Tun, adopted.Mode);
        Assert.Equal(10, adopted.VnetHeaderSize);
        Assert.Equal(OCloexec | ONonblock, Flags(fd) & (OCloexec | ONonblock));
        ns.Ip($"addr add 198.19.0.1/24 dev {name}");
        ns.Ip($"link set {name} up");
        var reader = Task.Run(() =>
        {
            var buffer = new byte[2048];
            var sizes = new int[1];
            while (true)
            {
                // Skip anything but the IPv4 echo request (IPv6 router solicitations may come first).
                if (adopted.Read(new Memory<byte>[] { buffer }, sizes, 0) == 1 && sizes[0] == 94 && buffer[10] >> 4 == 4 && buffer[10 + 9] == 1)
                {
                    return sizes[0];
                }
            }
        });
        ns.Exec("ping", ["-c", "1", "-W", "1", "198.19.0.2"]);
        Assert.True(reader.Wait(TimeSpan.FromSeconds(20)), "no echo request read through the adopted descriptor");
        Assert.Equal(94, reader.Result); // 10-byte virtio-net header + 84-byte IPv4 echo request
    }

    /// <summary>The open-file flags of our descriptor <paramref name="fd"/> (/proc/self/fdinfo, octal), plus O_CLOEXEC from the fd flags.</summary>
    private static int Flags(int fd)
    {
        foreach (var line in File.ReadAllLines($"/proc/self/fdinfo/{fd}"))
        {
            if (line.StartsWith("flags:", StringComparison.Ordinal))
            {
                return Convert.ToInt32(line["flags:".Length..].Trim(), 8);
            }
        }
        throw new InvalidOperationException($"no flags line for descriptor {fd}");
    }
}
