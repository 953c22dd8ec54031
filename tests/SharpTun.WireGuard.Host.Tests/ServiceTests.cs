using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>sd_notify to a test-owned datagram socket, journal detection, journald priority prefixes, log levels.</summary>
public sealed class ServiceTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Notify_SendsOneDatagram_ToAPathOrAbstractSocket(bool @abstract)
    {
        var name = $"sharptun-notify-{Environment.ProcessId}-{Guid.NewGuid():N}";
        var path = @abstract ? "@" + name : Path.Combine(Path.GetTempPath(), name + ".sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(@abstract ? "\0" + name : path));
        try
        {
            Assert.True(SystemdNotify.Send("READY=1\nSTATUS=up", out var error, path), error);
            var buffer = new byte[256];
            listener.ReceiveTimeout = 10_000;
            var n = listener.Receive(buffer);
            Assert.Equal("READY=1\nSTATUS=up", Encoding.UTF8.GetString(buffer, 0, n));
        }
        finally
        {
            if (!@abstract)
            {
                File.Delete(path);
            }
        }
    }

    [Fact]
    public void Notify_WithoutSocket_DoesNothing_AndAMissingSocketIsAnErrorNamingIt()
    {
        Assert.False(SystemdNotify.Send("READY=1", out var none, ""));
        Assert.Null(none);
        var missing = Path.Combine(Path.GetTempPath(), $"sharptun-no-such-{Guid.NewGuid():N}.sock");
        Assert.False(SystemdNotify.Send("READY=1", out var error, missing));
        Assert.StartsWith($"cannot notify systemd on NOTIFY_SOCKET '{missing}': ", error);
    }

    [Fact]
    public void Journal_MatchesTheInodeOfTheFdsSocket_Only()
    {
        var proc = Directory.CreateTempSubdirectory("sharptun-procfd-").FullName;
        try
        {
            File.CreateSymbolicLink(Path.Combine(proc, "1"), "socket:[4242]");
            File.CreateSymbolicLink(Path.Combine(proc, "2"), "/dev/pts/0");
            Assert.True(Journal.IsConnected(1, "8:4242", proc));
            Assert.False(Journal.IsConnected(1, "8:4243", proc));
            Assert.False(Journal.IsConnected(2, "8:4242", proc));
            Assert.False(Journal.IsConnected(1, "", proc));
            Assert.False(Journal.IsConnected(1, "garbage", proc));
        }
        finally
        {
            Directory.Delete(proc, recursive: true);
        }
    }

    [Fact]
    public void JournalLines_CarryThePriorityPrefix_PlainLinesATimestamp_LevelsFilter()
    {
        var journal = new StringWriter();
        var log = new HostLog(journal, HostLogLevel.Info, journal: true);
        log.Error("wg0", "broken");
        log.Warning("wg0", "shaky");
        log.Info("wg0", "fine");
        log.Debug("wg0", "detail"); // below info: not written
        HostLogEvents.HandshakeCompleted(log.Logger, "wg0", "HMEDsilP", "peer initiated", "198.18.0.2:51820");
        Assert.Equal(
            "<3>wg0: broken\n<4>wg0: shaky\n<6>wg0: fine\n<6>wg0: peer HMEDsilP: handshake completed (peer initiated), endpoint 198.18.0.2:51820\n",
            journal.ToString().ReplaceLineEndings("\n"));

        var plain = new StringWriter();
        var warn = new HostLog(plain, HostLogLevel.Warning);
        warn.Info("wg0", "not written");
        warn.Warning("wg0", "written");
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z wg0: written\n$", plain.ToString().ReplaceLineEndings("\n"));
        Assert.False(warn.Logger.IsEnabled(LogLevel.Information));
        Assert.True(warn.Logger.IsEnabled(LogLevel.Warning));
        Assert.Equal("<7>", LineLoggerProvider.Prefix(LogLevel.Debug));
    }

    [Fact]
    public void Watcher_LogsEachHandshakeAndRoamOnce_WithTheShortKey()
    {
        var text = new StringWriter();
        using var pair = new FakePair(bKnowsEndpointOfA: false);
        using var watcher = new InterfaceWatcher(pair.B, new HostLog(text, HostLogLevel.Info, journal: true));
        watcher.Poll();
        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2"));
        pair.Settle();
        watcher.Poll();
        watcher.Poll();
        var key = Convert.ToBase64String(SharpTun.WireGuard.WireGuardKeys.PublicKey(pair.KeyA))[..8];
        var lines = text.ToString().ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
        [
            $"<6>wgb: peer {key}: handshake completed (peer initiated), endpoint {FakePair.AddressA}",
            $"<6>wgb: peer {key}: endpoint (none) -> {FakePair.AddressA} (learned)",
            $"<6>wgb: peer {key}: state never -> up",
        ], lines);
    }
}
