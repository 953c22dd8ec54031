using System.CommandLine;
using System.Text.Json;
using SharpTun.Linux;
using SharpTun.Linux.Tun;

namespace SharpTun.Cli.Commands;

/// <summary><c>sharptun tuntap add|del|list</c>: the counterpart of <c>ip tuntap</c> and <c>tunctl</c>.</summary>
internal static class TuntapCommand
{
    internal static Command Create()
    {
        var cmd = new Command("tuntap", "Create, delete and list persistent TUN/TAP devices (like 'ip tuntap').");
        cmd.Subcommands.Add(Add());
        cmd.Subcommands.Add(Del());
        cmd.Subcommands.Add(List());
        return cmd;
    }

    internal static Option<string> ModeOption() => new Option<string>("--mode", "-m")
    {
        Description = "tun (IP packets) or tap (Ethernet frames)",
        DefaultValueFactory = _ => "tun",
    }.AcceptOnlyFromAmong("tun", "tap");

    private static Command Add()
    {
        var words = NetlinkCli.Words("DEVICE",
            "[dev] NAME [mode tun|tap] [user U] [group G] [pi] [vnet_hdr] [multi_queue] (ip tuntap's words; omit NAME or use 'tun%d' to let the kernel pick)");
        var mode = ModeOption();
        var user = new Option<string?>("--user", "-u") { Description = "owner (name or uid) allowed to attach without root" };
        var group = new Option<string?>("--group", "-g") { Description = "group (name or gid) whose members may attach without root" };
        var pi = new Option<bool>("--pi") { Description = "keep the 4-byte packet-information header on each packet" };
        var mq = new Option<bool>("--multi-queue") { Description = "create a multi-queue device (one fd per queue)" };
        var vnet = new Option<bool>("--vnet-hdr") { Description = "prefix each packet with a virtio_net_hdr" };
        var cmd = new Command("add", "Create a persistent tun/tap device and print its name; fails if it exists (as 'ip tuntap add'). Needs root (CAP_NET_ADMIN).")
        {
            words, mode, user, group, pi, mq, vnet,
        };
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var w = new Words(r.GetValue(words) ?? [], "tuntap add");
            string? name = null;
            var modeText = r.GetResult(mode) is { Implicit: false } ? r.GetValue(mode) : null;
            var userText = r.GetValue(user);
            var groupText = r.GetValue(group);
            bool withPi = r.GetValue(pi), multiQueue = r.GetValue(mq), vnetHdr = r.GetValue(vnet);
            while (w.Any)
            {
                var word = w.Next();
                switch (word)
                {
                    case "dev" or "name": name = w.Value(word); break;
                    case "mode": modeText = w.Value("mode"); break;
                    case "user": userText = w.Value("user"); break;
                    case "group": groupText = w.Value("group"); break;
                    case "pi": withPi = true; break;
                    case "vnet_hdr": vnetHdr = true; break;
                    case "multi_queue": multiQueue = true; break;
                    case "one_queue": break;
                    default:
                        if (name is not null)
                        {
                            throw w.Unknown(word);
                        }
                        name = word;
                        break;
                }
            }
            var options = new TunOptions
            {
                Name = name,
                Mode = CliRunner.ParseMode(modeText),
                PacketInfo = withPi,
                MultiQueue = multiQueue,
                VnetHdr = vnetHdr,
                // As ip (IFF_TUN_EXCL): an existing device is an error, never silently re-owned.
                Exclusive = true,
            };
            var uid = userText is { } u ? UserDatabase.ResolveUser(u) : (int?)null;
            var gid = groupText is { } g ? UserDatabase.ResolveGroup(g) : (int?)null;
            string created;
            try
            {
                created = TunControl.AddPersistent(options, uid, gid);
            }
            catch (TunException) when (name is not null && !name.Contains('%') && Directory.Exists($"/sys/class/net/{name}"))
            {
                throw new IOException($"cannot create {(options.Mode == TunMode.Tap ? "tap" : "tun")} device '{name}': it already exists (device or resource busy)");
            }
            Console.WriteLine(created);
            return CliRunner.Ok;
        }));
        return cmd;
    }

    private static Command Del()
    {
        var words = NetlinkCli.Words("DEVICE", "[dev] NAME [mode tun|tap] (ip tuntap del's words)");
        var mode = ModeOption();
        var cmd = new Command("del", "Delete a persistent tun/tap device (as 'ip tuntap del'). Needs root or ownership.") { words, mode };
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var w = new Words(r.GetValue(words) ?? [], "tuntap del");
            string? name = null;
            var modeText = r.GetValue(mode);
            while (w.Any)
            {
                var word = w.Next();
                switch (word)
                {
                    case "dev" or "name": name = w.Value(word); break;
                    case "mode": modeText = w.Value("mode"); break;
                    default:
                        if (name is not null)
                        {
                            throw w.Unknown(word);
                        }
                        name = word;
                        break;
                }
            }
            TunDevice.Delete(name ?? throw new ArgumentException("tuntap del: a device name is required"), CliRunner.ParseMode(modeText));
            return CliRunner.Ok;
        }));
        return cmd;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json", "-j") { Description = "print JSON in the shape of 'ip -j tuntap show'" };
        var cmd = new Command("list", "List the tun/tap devices of this network namespace (like 'ip tuntap show').") { json };
        cmd.Aliases.Add("show");
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var devices = TunDevices.List();
            if (r.GetValue(json))
            {
                Console.WriteLine(ToJson(devices));
                return CliRunner.Ok;
            }
            foreach (var d in devices)
            {
                var line = $"{d.Name}: {string.Join(' ', d.FlagWords())}";
                if (d.Owner is { } o)
                {
                    line += $" user {o}";
                }
                if (d.Group is { } g)
                {
                    line += $" group {g}";
                }
                Console.WriteLine(line);
                if (d.Processes.Count > 0)
                {
                    Console.WriteLine("\tAttached to processes:" + string.Join(' ', d.Processes.Select(p => $"{p.Name}({p.Pid})")));
                }
            }
            return CliRunner.Ok;
        }));
        return cmd;
    }

    internal static string ToJson(IReadOnlyList<TunDeviceInfo> devices)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartArray();
            foreach (var d in devices)
            {
                w.WriteStartObject();
                w.WriteString("ifname", d.Name);
                w.WriteStartArray("flags");
                foreach (var f in d.FlagWords())
                {
                    w.WriteStringValue(f);
                }
                w.WriteEndArray();
                if (d.Owner is { } o)
                {
                    w.WriteNumber("user", o);
                }
                if (d.Group is { } g)
                {
                    w.WriteNumber("group", g);
                }
                if (d.Processes.Count > 0)
                {
                    w.WriteStartArray("processes");
                    foreach (var p in d.Processes)
                    {
                        w.WriteStartObject();
                        w.WriteString("name", p.Name);
                        w.WriteNumber("pid", p.Pid);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
