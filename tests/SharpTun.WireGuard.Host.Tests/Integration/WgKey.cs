namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>A key pair made by the stock tool (<c>wg genkey | wg pubkey</c>), base64.</summary>
internal sealed record WgKey(string Private, string Public)
{
    internal static WgKey Generate()
    {
        var priv = Run.Exec("wg", ["genkey"]).EnsureSuccess().StdOut.Trim();
        var pub = Run.Exec("wg", ["pubkey"], stdin: priv + "\n").EnsureSuccess().StdOut.Trim();
        return new WgKey(priv, pub);
    }

    internal static string Psk() => Run.Exec("wg", ["genpsk"]).EnsureSuccess().StdOut.Trim();
}
