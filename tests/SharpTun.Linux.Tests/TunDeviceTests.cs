using System.Buffers.Binary;
using SharpTun.Linux.Namespaces;
using SharpTun.Linux.Tests.IO;
using SharpTun.Linux.Tun;

namespace SharpTun.Linux.Tests;

/// <summary>
/// The device layer in-process: each device is created inside a fresh namespace (the fd is opened
/// on a thread that entered it, so the device lives there) and the kernel of that namespace is the peer.
/// </summary>
public sealed class TunDeviceTests
{
    private static (NetNs Ns, TunDevice Dev) Setup(TunOptions options, bool up = true)
    {
        var ns = NetNs.Create();
        try
        {
            ns.Sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 && sysctl -qw net.ipv6.conf.default.disable_ipv6=1").EnsureSuccess();
            var dev = NetNamespace.Run(ns.Name, () => TunDevice.Open(options with { Name = options.Name ?? UniqueName.Next("td") }));
            if (up)
            {
                ns.Ip($"addr add 198.19.0.1/24 dev {dev.Name}");
                ns.Ip($"link set {dev.Name} up");
            }
            return (ns, dev);
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    private static long Counter(NetNs ns, string dev, string name) =>
        long.Parse(ns.Exec("cat", [$"/sys/class/net/{dev}/statistics/{name}"]).EnsureSuccess().StdOut.Trim());

    [RootFact]
    public void Written_echo_request_reaches_the_kernel_which_answers_through_the_device()
    {
        var (ns, dev) = Setup(new TunOptions());
        using (ns)
        using (dev)
        {
            var before = Counter(ns, dev.Name, "rx_packets");
            var packet = new byte[84];
            BuildEchoRequest(packet, src: [198, 19, 0, 2], dst: [198, 19, 0, 1], id: 0x1c2a, seq: 7);
            Assert.Equal(1, WriteOne(dev, packet));
            Assert.Equal(before + 1, Counter(ns, dev.Name, "rx_packets"));

            var reply = new byte[2048];
            int n;
            do
            {
                n = ReadOne(dev, reply);
            }
            while (reply[9] != 1); // skip anything that is not ICMP
            Assert.Equal(84, n);
            Assert.Equal(new byte[] { 198, 19, 0, 1 }, reply[12..16]);
            Assert.Equal(new byte[] { 198, 19, 0, 2 }, reply[16..20]);
            Assert.Equal(0, reply[20]); // echo reply
            Assert.Equal(0x1c2a, BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(24)));
            Assert.Equal(7, BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(26)));
            Assert.Equal(packet[28..], reply[28..84]);
        }
    }

    [RootFact]
    public void Hand_built_echo_reply_counts_one_received_packet()
    {
        var (ns, dev) = Setup(new TunOptions());
        using (ns)
        using (dev)
        {
            var before = Counter(ns, dev.Name, "rx_packets");
            var bytesBefore = Counter(ns, dev.Name, "rx_bytes");
            var packet = new byte[84];
            BuildEchoRequest(packet, src: [198, 19, 0, 2], dst: [198, 19, 0, 1], id: 1, seq: 1);
            packet[20] = 0; // type 0 = echo reply
            FixIcmpChecksum(packet);
            Assert.Equal(1, WriteOne(dev, packet));
            Assert.Equal(before + 1, Counter(ns, dev.Name, "rx_packets"));
            Assert.Equal(bytesBefore + 84, Counter(ns, dev.Name, "rx_bytes"));
        }
    }

    [RootFact]
    public void Vnet_header_prefixes_each_packet_with_ten_bytes()
    {
        var (ns, dev) = Setup(new TunOptions { VnetHdr = true });
        using (ns)
        using (dev)
        {
            Assert.Equal(10, dev.GetVnetHeaderSize());
            var reader = Task.Run(() =>
            {
                var buffer = new byte[2048];
                return ReadOne(dev, buffer);
            });
            ns.Exec("ping", ["-c", "1", "-W", "1", "198.19.0.2"]);
            Assert.True(reader.Wait(TimeSpan.FromSeconds(20)));
            Assert.Equal(94, reader.Result);
        }
    }

    [RootFact]
    public void Multi_queue_device_takes_several_fds_and_queues_can_be_disabled()
    {
        var name = UniqueName.Next("mq");
        var (ns, q0) = Setup(new TunOptions { Name = name, MultiQueue = true });
        using (ns)
        using (q0)
        {
            using var q1 = NetNamespace.Run(ns.Name, () => TunDevice.Open(new TunOptions { Name = name, MultiQueue = true }));
            Assert.Equal(name, q1.Name);
            Assert.True((q1.Flags & TunFlags.MultiQueue) != 0);
            q1.SetQueueEnabled(false);
            q1.SetQueueEnabled(true);
            var single = NetNamespace.Run(ns.Name, () => Assert.Throws<TunException>(() => TunDevice.Open(new TunOptions { Name = name })));
            Assert.Contains("created with multi_queue", single.Message);
        }
    }

    [RootFact]
    public void Queue_control_on_a_single_queue_device_is_a_clear_error()
    {
        var (ns, dev) = Setup(new TunOptions(), up: false);
        using (ns)
        using (dev)
        {
            var e = Assert.Throws<TunException>(() => dev.SetQueueEnabled(false));
            Assert.Contains($"device '{dev.Name}'", e.Message);
            Assert.Contains("multi-queue", e.Message);
        }
    }

    [RootFact]
    public void Non_persistent_device_vanishes_with_its_fd_and_persistent_one_stays()
    {
        var (ns, dev) = Setup(new TunOptions(), up: false);
        using (ns)
        {
            var name = dev.Name;
            Assert.Equal("0", ns.Exec("sh", ["-c", $"test -e /sys/class/net/{name} && echo 0"]).StdOut.Trim());
            dev.Dispose();
            Poll.Until(() => ns.Exec("test", ["-e", $"/sys/class/net/{name}"]).ExitCode != 0, $"{name} to disappear");

            using (var p = NetNamespace.Run(ns.Name, () => TunDevice.Open(new TunOptions { Name = name, Mode = TunMode.Tap })))
            {
                p.SetPersistent(true);
                p.SetOwner(4242);
                p.SetGroup(4343);
            }
            var info = NetNamespace.Run(ns.Name, () => TunDevices.Get(name));
            Assert.NotNull(info);
            Assert.True(info.Persistent);
            Assert.Equal(TunMode.Tap, info.Mode);
            Assert.Equal(4242, info.Owner);
            Assert.Equal(4343, info.Group);
            NetNamespace.Run(ns.Name, () => TunDevice.Delete(name, TunMode.Tap));
            Assert.NotEqual(0, ns.Exec("test", ["-e", $"/sys/class/net/{name}"]).ExitCode);
        }
    }

    [RootFact]
    public void Attaching_with_other_packet_information_setting_is_reflected_in_flags()
    {
        var (ns, dev) = Setup(new TunOptions(), up: false);
        using (ns)
        {
            var name = dev.Name;
            Assert.False(dev.PacketInfo);
            dev.SetPersistent(true);
            dev.Dispose();
            using (var pi = NetNamespace.Run(ns.Name, () => TunDevice.Open(new TunOptions { Name = name, PacketInfo = true })))
            {
                Assert.True(pi.PacketInfo, $"flags {pi.Flags}");
                var info = NetNamespace.Run(ns.Name, () => TunDevices.Get(name));
                Assert.True(info!.PacketInfo);
            }
            NetNamespace.Run(ns.Name, () => TunDevice.Delete(name, TunMode.Tun));
        }
    }

    [RootFact]
    public void Listing_inside_a_namespace_sees_that_namespace_only()
    {
        var (ns, dev) = Setup(new TunOptions { Mode = TunMode.Tap }, up: false);
        using (ns)
        using (dev)
        {
            var inside = NetNamespace.Run(ns.Name, () => TunDevices.List());
            var info = Assert.Single(inside);
            Assert.Equal(dev.Name, info.Name);
            Assert.Equal(TunMode.Tap, info.Mode);
            Assert.False(info.Persistent);
            Assert.Contains(info.Processes, p => p.Pid == Environment.ProcessId);
            Assert.DoesNotContain(TunDevices.List(includeProcesses: false), d => d.Name == dev.Name);
        }
    }

    private static int WriteOne(TunDevice dev, byte[] packet) => dev.Write(new Memory<byte>[] { packet }, 0);

    private static int ReadOne(TunDevice dev, byte[] buffer)
    {
        var sizes = new int[1];
        return dev.Read(new Memory<byte>[] { buffer }, sizes, 0) == 1 ? sizes[0] : 0;
    }

    /// <summary>An 84-byte IPv4 ICMP echo request (20 + 8 + 56 bytes of pattern), checksums filled in.</summary>
    private static void BuildEchoRequest(Span<byte> p, byte[] src, byte[] dst, ushort id, ushort seq)
    {
        p.Clear();
        p[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(p[2..], (ushort)p.Length);
        BinaryPrimitives.WriteUInt16BigEndian(p[4..], 0x4242);
        p[6] = 0x40; // DF
        p[8] = 64;
        p[9] = 1;
        src.CopyTo(p[12..]);
        dst.CopyTo(p[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(p[10..], Icmp.Checksum(p[..20]));
        p[20] = 8;
        BinaryPrimitives.WriteUInt16BigEndian(p[24..], id);
        BinaryPrimitives.WriteUInt16BigEndian(p[26..], seq);
        for (var i = 28; i < p.Length; i++)
        {
            p[i] = (byte)i;
        }
        FixIcmpChecksum(p);
    }

    private static void FixIcmpChecksum(Span<byte> p)
    {
        p[22] = 0;
        p[23] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(p[22..], Icmp.Checksum(p[20..]));
    }
}
