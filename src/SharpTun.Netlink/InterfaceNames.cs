using System.Text;

namespace SharpTun.Netlink;

/// <summary>Interface name rules of the kernel's dev_valid_name: 1..15 bytes (IFNAMSIZ-1), not "." or "..", no '/', ':' or whitespace.</summary>
internal static class InterfaceNames
{
    internal static void Validate(string name, string what = "interface name")
    {
        ArgumentNullException.ThrowIfNull(name);
        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes == 0 || bytes > 15)
        {
            throw new ArgumentException($"invalid {what} '{name}': must be 1 to 15 bytes");
        }
        if (name is "." or ".." || name.Any(c => c == '/' || c == ':' || char.IsWhiteSpace(c)))
        {
            throw new ArgumentException($"invalid {what} '{name}': must not be '.', '..' or contain '/', ':' or whitespace");
        }
    }
}
