using System.CommandLine;
using System.Text.Json;
using SharpTun.WireGuard;
using SharpTun.WireGuard.Host;

namespace SharpTun.Cli.Commands;

/// <summary>
/// <c>sharptun wg show [NAME] [dump] [--json]</c>: what <c>wg show</c> prints, read over the UAPI socket of
/// every interface (or NAME) — SharpTun's and wireguard-go's alike; <c>--json</c> adds SharpTun's health and drop counters.
/// </summary>
internal static class WgShowCommand
{
    internal static Command Create()
    {
        var name = new Argument<string?>("NAME") { Description = "one interface (default: every interface with a UAPI socket)", Arity = ArgumentArity.ZeroOrOne };
        var field = new Argument<string?>("dump") { Description = "'dump': tab-separated lines as 'wg show NAME dump'", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "stable JSON: interface, drops, offloads, peers with state, transport, endpoint, handshakes, counters, drops (fields in the README, \"Operating a tunnel\")" };
        var cmd = new Command("show", "Show WireGuard interfaces and peers (as 'wg show'), over the UAPI socket.") { name, field, json };
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var one = r.GetValue(name);
            var dump = r.GetValue(field) switch
            {
                null => false,
                "dump" => true,
                var f => throw new ArgumentException($"invalid field '{f}': only 'dump' is supported (or use the stock 'wg show {one} {f}')"),
            };
            if (one == "all")
            {
                one = null;
            }
            var names = one is null ? UapiClient.List() : [one];
            if (r.GetValue(json))
            {
                return Json(names, single: one is not null);
            }
            var first = true;
            foreach (var n in names)
            {
                var device = UapiCodec.ParseGet(UapiClient.Send(n, UapiCodec.GetRequest));
                if (dump)
                {
                    var text = WgShowText.Dump(device);
                    Console.Out.Write(one is null ? string.Concat(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => $"{n}\t{l}\n")) : text);
                    continue;
                }
                if (!first)
                {
                    Console.Out.WriteLine();
                }
                first = false;
                Console.Out.Write(WgShowText.Pretty(n, device, DateTimeOffset.UtcNow, Status(n)));
            }
            return CliRunner.Ok;
        }));
        return cmd;
    }

    private static int Json(IReadOnlyList<string> names, bool single)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            if (!single)
            {
                w.WriteStartArray();
            }
            foreach (var n in names)
            {
                var device = UapiCodec.ParseGet(UapiClient.Send(n, UapiCodec.GetRequest));
                WgShowText.Json(w, n, device, Status(n), DateTimeOffset.UtcNow);
            }
            if (!single)
            {
                w.WriteEndArray();
            }
        }
        stdout.WriteByte((byte)'\n');
        return CliRunner.Ok;
    }

    /// <summary>SharpTun's health and drop counters; none for an interface that does not serve them (wireguard-go closes the connection).</summary>
    internal static UapiStatus Status(string name)
    {
        try
        {
            return UapiStatus.Parse(UapiClient.Send(name, UapiClient.StatusRequest));
        }
        catch (IOException)
        {
            return UapiStatus.Empty;
        }
    }
}
