using System.CommandLine;
using SharpTun.Cli.Formatting;
using SharpTun.Linux.Netlink;
using SharpTun.Netlink;

namespace SharpTun.Cli.Commands;

/// <summary><c>sharptun ss</c>: list sockets like <c>ss</c>, over NETLINK_SOCK_DIAG, owners from /proc.</summary>
internal static class SsCommand
{
    internal static Command Create()
    {
        var tcp = new Option<bool>("--tcp", "-t") { Description = "TCP sockets" };
        var udp = new Option<bool>("--udp", "-u") { Description = "UDP sockets" };
        var unix = new Option<bool>("--unix", "-x") { Description = "UNIX sockets" };
        var listening = new Option<bool>("--listening", "-l") { Description = "listening sockets only" };
        var all = new Option<bool>("--all", "-a") { Description = "sockets in every state" };
        var numeric = new Option<bool>("--numeric", "-n") { Description = "numeric addresses and ports (always the case; accepted for ss compatibility)" };
        var processes = new Option<bool>("--processes", "-p") { Description = "show the processes holding each socket" };
        var noHeader = new Option<bool>("--no-header", "-H") { Description = "no header line" };
        var v4 = new Option<bool>("-4") { Description = "IPv4 only" };
        var v6 = new Option<bool>("-6") { Description = "IPv6 only" };
        var json = NetlinkCli.JsonOption();
        var netns = new Option<string?>("--net", "-N") { Description = "list the sockets of the named network namespace (like 'ss -N NAME')" };
        var filter = NetlinkCli.Words("FILTER", "state STATE [state STATE…]: established, listening, closed, time-wait, connected, all, …");
        var cmd = new Command("ss", "List sockets with states, queues, addresses and owning processes (like 'ss').")
        {
            tcp, udp, unix, listening, all, numeric, processes, noHeader, v4, v6, json, netns, filter,
        };
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            uint? states = null;
            var w = new Words(r.GetValue(filter) ?? [], "ss");
            while (w.Any)
            {
                var word = w.Next();
                if (word is not ("state" or "exclude"))
                {
                    throw w.Unknown(word);
                }
                var mask = SocketStates.Parse(w.Value(word));
                states = word == "state" ? (states ?? 0) | mask : (states ?? SocketStates.All) & ~mask;
            }
            var query = new SocketQuery
            {
                Tcp = r.GetValue(tcp), Udp = r.GetValue(udp), Unix = r.GetValue(unix),
                Listening = r.GetValue(listening), All = r.GetValue(all), States = states,
                IPv4Only = r.GetValue(v4), IPv6Only = r.GetValue(v6),
            };
            var showProcesses = r.GetValue(processes);
            var sockets = SocketList.List(query, showProcesses, r.GetValue(netns));
            if (r.GetValue(json))
            {
                NetlinkCli.PrintJson(sockets.Select(SocketFormat.Json));
                return CliRunner.Ok;
            }
            // ss drops the Netid column when one inet protocol is chosen, and the State column for a single-state filter.
            var oneInet = (query.Tcp ? 1 : 0) + (query.Udp ? 1 : 0) + (query.Unix ? 1 : 0) == 1 && !query.Unix;
            var singleState = System.Numerics.BitOperations.PopCount(query.StateMask & ~SocketStates.Bit(SocketState.NewSynRecv)) == 1;
            foreach (var line in SocketFormat.Table(sockets, netId: !oneInet, state: !singleState, showProcesses, header: !r.GetValue(noHeader)))
            {
                Console.WriteLine(line);
            }
            return CliRunner.Ok;
        }));
        return cmd;
    }
}
