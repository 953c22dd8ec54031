using System.CommandLine;
using System.Security.Cryptography;
using SharpTun.WireGuard;

namespace SharpTun.Cli.Commands;

/// <summary>
/// <c>sharptun wg</c>: the secure tunnel (<c>up</c>, <c>down</c>, <c>show</c>) and the key tools
/// interchangeable with <c>wg genkey | wg pubkey</c> and <c>wg genpsk</c>.
/// </summary>
internal static class WgCommand
{
    internal static Command Create()
    {
        var genkey = new Command("genkey", "Print a new random private key (clamped, base64), like 'wg genkey'.");
        genkey.SetAction(_ => CliRunner.Run(() => PrintSecret(WireGuardKeys.GeneratePrivateKey())));

        var pubkey = new Command("pubkey", "Read a private key (base64) on stdin and print its public key, like 'wg pubkey'.");
        pubkey.SetAction(_ => CliRunner.Run(() =>
        {
            var priv = ReadKey(Console.In.ReadToEnd());
            try
            {
                return Print(WireGuardKeys.PublicKey(priv));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(priv);
            }
        }));

        var genpsk = new Command("genpsk", "Print a new random preshared key (base64), like 'wg genpsk'.");
        genpsk.SetAction(_ => CliRunner.Run(() => PrintSecret(WireGuardKeys.GeneratePresharedKey())));

        return new Command("wg", "The secure tunnel (WireGuard): up, down, show, capture, userspace (wireguard-go's contract); key tools genkey, pubkey, genpsk.")
        {
            WgUpCommand.Create(), WgDownCommand.Create(), WgShowCommand.Create(), WgCaptureCommand.Create(), WgUserspaceCommand.Create(), genkey, pubkey, genpsk,
        };
    }

    /// <summary>
    /// A key as <c>wg pubkey</c> reads it: exactly 44 base64 characters first, then only whitespace
    /// ("Trailing characters found after key" otherwise).
    /// </summary>
    internal static byte[] ReadKey(string input)
    {
        if (input.Length < 44)
        {
            throw new FormatException("private key on stdin: key is not the correct length or format (expected 44 base64 characters)");
        }
        if (input.AsSpan(44).ContainsAnyExcept(" \t\r\n\v\f"))
        {
            throw new FormatException("private key on stdin: trailing characters found after key");
        }
        return WireGuardKeys.Parse(input[..44], "private key on stdin");
    }

    /// <summary>wg genkey/genpsk: warn (on stderr) when stdout is a regular file others may read.</summary>
    private static int PrintSecret(byte[] key)
    {
        if (StdoutIsWorldAccessibleFile())
        {
            Console.Error.WriteLine("Warning: writing to world accessible file.");
            Console.Error.WriteLine("Consider setting the umask to 077 and trying again.");
        }
        return Print(key);
    }

    private static bool StdoutIsWorldAccessibleFile()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            var target = File.ResolveLinkTarget("/proc/self/fd/1", returnFinalTarget: true);
            if (target is null || !File.Exists(target.FullName) || target.FullName.StartsWith("/dev/", StringComparison.Ordinal))
            {
                return false;
            }
            var mode = File.GetUnixFileMode(target.FullName);
            return (mode & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static int Print(byte[] key)
    {
        Console.Out.WriteLine(WireGuardKeys.ToBase64(key));
        CryptographicOperations.ZeroMemory(key);
        return CliRunner.Ok;
    }
}
