using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace SharpTun.Netlink;

/// <summary>
/// Network interface name rules, checked before any ioctl so a bad name is never silently
/// truncated. The kernel's <c>dev_valid_name()</c> rejects empty names, names of IFNAMSIZ (16)
/// bytes or more, "." and "..", and names containing '/', ':' or whitespace; NUL would end the
/// name early. A <c>%d</c> template (e.g. <c>tun%d</c>) asks the kernel to pick the number.
/// </summary>
public static class InterfaceName
{
    /// <summary>IFNAMSIZ - 1: the longest name the kernel accepts, in bytes.</summary>
    public const int MaxLength = 15;

    /// <summary>Returns null if <paramref name="name"/> is a valid interface name, else why it is not.</summary>
    public static string? Check(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "the name is empty";
        }
        if (name is "." or "..")
        {
            return $"'{name}' is not allowed as an interface name";
        }
        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxLength)
        {
            return $"the name is {bytes} bytes long; at most {MaxLength} bytes fit (IFNAMSIZ is 16 including the terminating NUL)";
        }
        foreach (var c in name)
        {
            if (c == '\0')
            {
                return "the name contains a NUL character";
            }
            if (c == '/')
            {
                return "the name contains '/'";
            }
            if (c == ':')
            {
                return "the name contains ':'";
            }
            if (char.IsWhiteSpace(c))
            {
                return "the name contains whitespace";
            }
            if (c > 0x7e || c < 0x20)
            {
                return $"the name contains the non-printable or non-ASCII character U+{(int)c:X4}";
            }
        }
        var percent = name.IndexOf('%');
        if (percent >= 0 && (name.IndexOf("%d", StringComparison.Ordinal) != percent || name.IndexOf('%', percent + 1) >= 0))
        {
            return "a '%' may only appear once, as the '%d' of a template like 'tun%d'";
        }
        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the interface and the reason unless the name is valid.</summary>
    public static void Validate([NotNull] string? name, string what = "interface")
    {
        var why = Check(name);
        if (why is not null)
        {
            throw new ArgumentException($"invalid {what} name '{Printable(name)}': {why}");
        }
        ArgumentNullException.ThrowIfNull(name);
    }

    /// <summary>The name with control characters escaped, for error messages.</summary>
    public static string Printable(string? name)
    {
        if (name is null)
        {
            return "";
        }
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            sb.Append(c switch
            {
                '\0' => "\\0",
                '\t' => "\\t",
                '\n' => "\\n",
                '\r' => "\\r",
                < ' ' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }
}
