using System.Globalization;
using System.Net.Sockets;
using System.Text;
using SharpTun.Linux.Namespaces;
using SharpTun.Linux.Tun;
using SharpTun.WireGuard;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// <c>get=1</c> over a large peer set is streamed (issue 20): <c>wg show dump</c> of 20,000 peers set with <c>wg setconf</c>
/// is complete and parses; the streamed bytes equal the whole answer composed at once; and a reader that stalls halfway
/// does not block a concurrent <c>wg set</c> (the interface lock is not held while the answer is written).
/// </summary>
public sealed class UapiStreamingGetLiveTests(ITestOutputHelper output) : IDisposable
{
    private const int Peers = 20_000;
    private readonly NetNs _ns = NetNs.Create("sthg");
    private readonly string _name = UniqueName.Next("wsg");
    private readonly byte[] _key = WireGuardKeys.GeneratePrivateKey();
    private readonly string _file = Path.Combine(Path.GetTempPath(), UniqueName.Next("wsg") + ".conf");
    private WireGuardInterface? _interface;
    private UapiServer? _server;

    private WireGuardInterface Start()
    {
        _interface = NetNamespace.Run(_ns.Name, () =>
            new WireGuardInterface(TunDevice.Open(new TunOptions { Name = _name, Exclusive = true }), _key,
                (port, mark) => NetNamespace.Run(_ns.Name, () => WireGuardHost.DefaultBind(port, mark)), 0,
                log: new HostLog(new XunitWriter(output), HostLogLevel.Info)));
        _interface.Start();
        _server = UapiServer.Start(_name, new UapiHandler(_interface).Handle, get: _interface.WriteGet);
        return _interface;
    }

    /// <summary>A wg-quick style file of <see cref="Peers"/> peers: every 7th with a preshared key, every 5th with an endpoint and keepalive, every 3rd with two prefixes.</summary>
    private string[] WriteConf()
    {
        var rng = new Random(20_000);
        output.WriteLine("seed 20000");
        var keys = new string[Peers];
        var conf = new StringBuilder($"[Interface]\nPrivateKey = {WireGuardKeys.ToBase64(_key)}\n");
        for (var i = 0; i < Peers; i++)
        {
            var key = new byte[32];
            rng.NextBytes(key);
            keys[i] = Convert.ToBase64String(key);
            conf.Append(CultureInfo.InvariantCulture, $"[Peer]\nPublicKey = {keys[i]}\nAllowedIPs = 198.18.{1 + (i >> 8)}.{i & 255}/32");
            conf.Append(i % 3 == 0 ? string.Create(CultureInfo.InvariantCulture, $", 2001:db8:{i + 1:x}::/64\n") : "\n");
            if (i % 7 == 0)
            {
                rng.NextBytes(key);
                conf.Append(CultureInfo.InvariantCulture, $"PresharedKey = {Convert.ToBase64String(key)}\n");
            }
            if (i % 5 == 0)
            {
                conf.Append(CultureInfo.InvariantCulture, $"Endpoint = 198.18.0.{2 + i % 200}:{40000 + i % 20000}\nPersistentKeepalive = 0\n");
            }
        }
        File.WriteAllText(_file, conf.ToString());
        return keys;
    }

    [RootFact]
    public void WgShowDump_TwentyThousandPeers_CompleteAndEqualToTheWholeAnswer()
    {
        var wg = Start();
        var keys = WriteConf();
        _ns.Exec("wg", ["setconf", _name, _file], TimeSpan.FromSeconds(120)).EnsureSuccess();

        var dump = _ns.Exec("wg", ["show", _name, "dump"], TimeSpan.FromSeconds(60)).EnsureSuccess().StdOut;
        var lines = dump.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Peers + 1, lines.Length);
        Assert.StartsWith(WireGuardKeys.ToBase64(_key) + "\t", lines[0], StringComparison.Ordinal);
        for (var i = 0; i < Peers; i++)
        {
            var f = lines[1 + i].Split('\t');
            Assert.Equal(8, f.Length);
            Assert.Equal(keys[i], f[0]);
            Assert.Equal(i % 7 == 0, f[1] != "(none)");
            Assert.Equal(i % 5 == 0 ? $"198.18.0.{2 + i % 200}:{40000 + i % 20000}" : "(none)", f[2]);
            var v4 = $"198.18.{1 + (i >> 8)}.{i & 255}/32";
            Assert.Equal(i % 3 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{v4},2001:db8:{i + 1:x}::/64") : v4, f[3]);
        }

        // The streamed bytes are exactly what the codec composes from one snapshot (nothing moves: no traffic).
        var streamed = UapiClient.Send(_name, UapiCodec.GetRequest);
        Assert.Equal(UapiCodec.FormatGet(wg.Snapshot()), streamed);
        Assert.Equal(Peers, UapiCodec.ParseGet(streamed).Peers.Count);
    }

    [RootFact]
    public void StalledGetReader_DoesNotBlockAConcurrentSet_AndItsAnswerStaysComplete()
    {
        var wg = Start();
        WriteConf();
        _ns.Exec("wg", ["setconf", _name, _file], TimeSpan.FromSeconds(120)).EnsureSuccess();

        using var reader = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        reader.Connect(new UnixDomainSocketEndPoint(_server!.Path));
        reader.Send(Encoding.ASCII.GetBytes(UapiCodec.GetRequest));
        var answer = new MemoryStream();
        var buffer = new byte[4096];
        // Read the first bytes only, then stall: ~7 MB of answer cannot fit the socket buffers, so the writer blocks mid-walk.
        while (answer.Length < 4096)
        {
            var n = reader.Receive(buffer);
            Assert.NotEqual(0, n);
            answer.Write(buffer, 0, n);
        }

        var extra = WireGuardKeys.ToBase64(WireGuardKeys.PublicKey(WireGuardKeys.GeneratePrivateKey()));
        var set = _ns.Exec("wg", ["set", _name, "peer", extra, "allowed-ips", "198.19.200.1/32"], TimeSpan.FromSeconds(30));
        set.EnsureSuccess();
        Assert.Equal(Peers + 1, wg.Configure(d => d.PeerCount));

        reader.ReceiveTimeout = 60_000;
        while (!EndsWithAnswer(answer))
        {
            var n = reader.Receive(buffer);
            Assert.NotEqual(0, n);
            answer.Write(buffer, 0, n);
        }
        var parsed = UapiCodec.ParseGet(Encoding.UTF8.GetString(answer.ToArray()));
        // The walk lists the directory as it was when it started: the peer added meanwhile is not in it.
        Assert.Equal(Peers, parsed.Peers.Count);
        Assert.DoesNotContain(parsed.Peers, p => Convert.ToBase64String(p.PublicKey) == extra);
    }

    /// <summary>A get answer has no empty line before its end (errno=N and the empty line).</summary>
    private static bool EndsWithAnswer(MemoryStream s) => s.GetBuffer().AsSpan(0, (int)s.Length).EndsWith("\n\n"u8);

    public void Dispose()
    {
        _server?.Dispose();
        _interface?.Dispose();
        _ns.Dispose();
        File.Delete(_file);
    }
}
