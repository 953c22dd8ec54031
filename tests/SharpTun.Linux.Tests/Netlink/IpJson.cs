using System.Text.Json;
using SharpTun.Testing;

namespace SharpTun.Linux.Tests.Netlink;

/// <summary>Runs <c>ip -j</c> (optionally in a namespace) and returns the parsed array: the judge for our state.</summary>
internal static class IpJson
{
    internal static JsonElement[] Query(string? ns, string args)
    {
        var all = new List<string> { "-j" };
        if (ns is not null)
        {
            all.AddRange(["-n", ns]);
        }
        all.AddRange(args.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var text = Run.Exec("ip", all).EnsureSuccess().StdOut;
        using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "[]" : text);
        return [.. doc.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    internal static JsonElement Link(string? ns, string name) => Query(ns, $"-d link show dev {name}").Single();

    internal static string[] Flags(JsonElement link) => [.. link.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!)];

    internal static string? Str(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.Number ? v.GetRawText() : v.GetString() : null;
}
