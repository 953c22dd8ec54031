using System.CommandLine;
using SharpTun.WireGuard;

namespace SharpTun.Cli.Commands;

/// <summary><c>sharptun wg genkey|pubkey|genpsk</c>: key tools interchangeable with <c>wg genkey | wg pubkey</c>.</summary>
internal static class WgCommand
{
    internal static Command Create()
    {
        var genkey = new Command("genkey", "Print a new random private key (clamped, base64), like 'wg genkey'.");
        genkey.SetAction(_ => CliRunner.Run(() => Print(WireGuardKeys.GeneratePrivateKey())));

        var pubkey = new Command("pubkey", "Read a private key (base64) on stdin and print its public key, like 'wg pubkey'.");
        pubkey.SetAction(_ => CliRunner.Run(() =>
        {
            var input = Console.In.ReadToEnd();
            var priv = WireGuardKeys.Parse(input, "private key on stdin");
            try
            {
                return Print(WireGuardKeys.PublicKey(priv));
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(priv);
            }
        }));

        var genpsk = new Command("genpsk", "Print a new random preshared key (base64), like 'wg genpsk'.");
        genpsk.SetAction(_ => CliRunner.Run(() => Print(WireGuardKeys.GeneratePresharedKey())));

        return new Command("wg", "WireGuard key tools: genkey, pubkey, genpsk.") { genkey, pubkey, genpsk };
    }

    private static int Print(byte[] key)
    {
        Console.Out.WriteLine(WireGuardKeys.ToBase64(key));
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
        return CliRunner.Ok;
    }
}
