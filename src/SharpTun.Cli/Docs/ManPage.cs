using System.CommandLine;
using System.Globalization;
using System.Text;
using SharpTun.Cli.Grammar;

namespace SharpTun.Cli.Docs;

/// <summary>
/// sharptun(8) in man(7) roff, generated from the command tree that <c>--help</c> prints (<c>sharptun
/// generate man</c>; installed by ./install.sh). Non-ASCII characters are written as groff's
/// <c>\[uXXXX]</c> escapes so the page needs no preprocessor and <c>groff -ww</c> has nothing to warn about.
/// </summary>
internal static class ManPage
{
    internal static void Write(RootCommand root, TextWriter w)
    {
        var version = VersionInfo.Text;
        w.WriteLine($".TH SHARPTUN 8 \"\" \"{Escape(version)}\" \"System Administration\"");
        w.WriteLine(".SH NAME");
        w.WriteLine("sharptun \\- TUN/TAP devices, interfaces and routes over rtnetlink, packet inspection and VPN tunnels for Linux");
        w.WriteLine(".SH SYNOPSIS");
        w.WriteLine(".B sharptun");
        w.WriteLine("[\\fIGLOBAL-OPTIONS\\fR] \\fIOBJECT\\fR [\\fICOMMAND\\fR] [\\fIARGUMENTS\\fR] [\\fIOPTIONS\\fR]");
        w.WriteLine(".br");
        w.WriteLine(".B sharptun");
        w.WriteLine("\\fB\\-\\-help\\fR | \\fB\\-\\-version\\fR");
        w.WriteLine(".SH DESCRIPTION");
        Paragraph(w, root.Description);
        Paragraph(w, "The command line reads as iproute2's: objects and verbs may be abbreviated as ip abbreviates them " +
            "(a = addr, l = link, r = route, s = show), an object alone shows it, and show prints what ip prints; " +
            "--json uses ip -j's field names. Every command has --help.");
        w.WriteLine(".SH GLOBAL OPTIONS");
        Paragraph(w, "Written before the object, as with ip; each becomes the option of the command it precedes.");
        foreach (var (words, value, text) in IpGrammar.GlobalOptionHelp)
        {
            w.WriteLine(".TP");
            var arg = value is null ? "" : $" \\fI{value}\\fR";
            w.WriteLine(string.Join(", ", words.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(o => Bold(o) + arg)));
            w.WriteLine(Escape(text));
        }
        w.WriteLine(".SH COMMANDS");
        foreach (var (path, command) in CommandTree.Walk(root))
        {
            w.WriteLine($".SS \"{Escape("sharptun " + path)}{Escape(Usage(command))}\"");
            Paragraph(w, command.Description);
            if (command.Aliases.Count > 0)
            {
                Paragraph(w, "Also: " + string.Join(", ", command.Aliases.Order(StringComparer.Ordinal)) + ".");
            }
            foreach (var a in command.Arguments.Where(a => !a.Hidden && a.Description is not null))
            {
                w.WriteLine(".TP");
                w.WriteLine($"\\fI{Escape(a.Name)}\\fR");
                w.WriteLine(Escape(a.Description!));
            }
            foreach (var o in CommandTree.Options(command).Where(o => o.Name is not ("--help")))
            {
                w.WriteLine(".TP");
                var names = string.Join(", ", CommandTree.Names(o).Select(Bold));
                w.WriteLine(CommandTree.TakesValue(o) ? $"{names} \\fI{Escape(Placeholder(o))}\\fR" : names);
                w.WriteLine(Escape(o.Description ?? ""));
            }
        }
        w.WriteLine(".SH EXIT STATUS");
        foreach (var (code, text) in new (int, string)[]
        {
            (CliRunner.Ok, "success"),
            (CliRunner.Failed, "the operation failed; one line on stderr names the object and the cause"),
            (CliRunner.Usage, "bad usage: unknown command or keyword, missing required option, unparsable value"),
            (CliRunner.CannotExecute, "netns exec: the program was found but is not executable"),
            (CliRunner.CommandNotFound, "netns exec: the program was not found"),
            (CliRunner.Interrupted, "a long-running command (read, respond, wg up) stopped by SIGINT after printing its summary"),
            (CliRunner.Terminated, "a long-running command stopped by SIGTERM after printing its summary (wg up exits 0 on SIGTERM)"),
        })
        {
            w.WriteLine(".TP");
            w.WriteLine(Bold(code.ToString(CultureInfo.InvariantCulture)));
            w.WriteLine(Escape(text));
        }
        w.WriteLine(".SH ENVIRONMENT");
        foreach (var (name, text) in new[]
        {
            ("DOTNET_EnableDiagnostics", "unset or 0: no .NET diagnostic socket or debugger pipe in /tmp (the default); 1 lets dotnet-trace attach to the JIT build"),
            ("SHARPTUN_DEBUG", "1 prints the full exception after an error message"),
            ("SHARPTUN_NATIVE", "0 makes the repository's ./sharptun launcher run the JIT build instead of the native binary"),
        })
        {
            w.WriteLine(".TP");
            w.WriteLine(Bold(name));
            w.WriteLine(Escape(text));
        }
        w.WriteLine(".SH FILES");
        foreach (var (name, text) in new[]
        {
            ("/dev/net/tun", "the TUN/TAP clone device"),
            ("/run/netns/", "named network namespaces (netns add, -n NS)"),
            ("/run/sharptun/", "pid files and logs of wg up --background; UAPI sockets in /var/run/wireguard/"),
        })
        {
            w.WriteLine(".TP");
            w.WriteLine(Bold(name));
            w.WriteLine(Escape(text));
        }
        w.WriteLine(".SH SEE ALSO");
        w.WriteLine(".BR ip (8),");
        w.WriteLine(".BR ip\\-tuntap (8),");
        w.WriteLine(".BR ss (8),");
        w.WriteLine(".BR ifconfig (8),");
        w.WriteLine(".BR tcpdump (8),");
        w.WriteLine(".BR tshark (1),");
        w.WriteLine(".BR wg (8),");
        w.WriteLine(".BR wg\\-quick (8)");
    }

    private static string Usage(Command command)
    {
        var b = new StringBuilder();
        foreach (var a in command.Arguments.Where(a => !a.Hidden))
        {
            b.Append(' ').Append(a.Arity.MaximumNumberOfValues > 1 ? $"[{a.Name}...]" : a.Arity.MinimumNumberOfValues == 0 ? $"[{a.Name}]" : a.Name);
        }
        return b.ToString();
    }

    private static string Placeholder(Option o) =>
        o.HelpName ?? o.Name.TrimStart('-').ToUpperInvariant().Replace('-', '_');

    private static void Paragraph(TextWriter w, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }
        w.WriteLine(".PP");
        w.WriteLine(Escape(text));
    }

    private static string Bold(string word) => $"\\fB{Escape(word)}\\fR";

    /// <summary>Roff text: backslashes, hyphens as \-, no leading control character, non-ASCII as \[uXXXX].</summary>
    internal static string Escape(string text)
    {
        var b = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': b.Append("\\e"); break;
                case '-': b.Append("\\-"); break;
                case '\n': b.Append(' '); break;
                case '"': b.Append("\\(dq"); break;
                case > '\x7e':
                    b.Append("\\[u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)).Append(']');
                    break;
                default: b.Append(c); break;
            }
        }
        if (b.Length > 0 && b[0] is '.' or '\'')
        {
            b.Insert(0, "\\&");
        }
        return b.ToString();
    }
}
