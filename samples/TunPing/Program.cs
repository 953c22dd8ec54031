// The tutorial's tunclient, answering: attaches to tun device NAME (made if missing; give it an address and
// bring it up with `ip`), reads each packet the kernel routes to it and writes back the echo reply.
// Usage: TunPing NAME [COUNT]   (root or CAP_NET_ADMIN; stops after COUNT replies, default: never)
using SharpTun.Linux.Tun;
using SharpTun.Packets;

var name = args.Length > 0 ? args[0] : "tun0";
var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : int.MaxValue;
using var tun = TunDevice.Open(new TunOptions { Name = name });
var responder = new PacketResponder(LinkType.Raw, PacketResponder.RandomMac()); // no addresses: answer every echo
var buffers = new Memory<byte>[1] { new byte[tun.MaxPacketSize] };
var reply = new byte[tun.MaxPacketSize];
var sizes = new int[1];
Console.WriteLine($"listening on {tun.Name}");
for (var answered = 0; answered < count;)
{
    if (tun.Read(buffers, sizes, 0) == 0)
    {
        continue;
    }
    var request = buffers[0].Span[..sizes[0]];
    var (kind, length) = responder.Respond(request, reply);
    Console.WriteLine($"read {sizes[0]} bytes: {PacketSummary.Format(PacketDecoder.Decode(request, LinkType.Raw))}");
    if (kind != ResponseKind.None)
    {
        tun.Write(new Memory<byte>[] { reply.AsMemory(0, length) }, 0);
        answered++;
        Console.WriteLine($"answered with {kind} ({length} bytes)");
    }
}
