namespace SharpTun.Linux.Tests.IO;

/// <summary>
/// Two namespaces joined by a veth pair for the bind tests: A va 198.18.0.1/24 + 2001:db8::1/64, B vb with two
/// addresses of each family (198.18.0.2-3, 2001:db8::2-3), so a reply's source address can be told apart.
/// Removed on <see cref="Dispose"/>, also when building it failed half way.
/// </summary>
internal sealed class BindWire : IDisposable
{
    private BindWire(NetNs a, NetNs b)
    {
        A = a;
        B = b;
    }

    internal NetNs A { get; }

    internal NetNs B { get; }

    /// <summary>The wire with namespaces named after <paramref name="prefix"/> (made unique by NetNs).</summary>
    internal static BindWire Create(string prefix)
    {
        var a = NetNs.Create(prefix + "a");
        NetNs? b = null;
        try
        {
            b = NetNs.Create(prefix + "b");
            a.Ip($"link add va type veth peer name vb netns {b.Name}");
            a.Ip("addr add 198.18.0.1/24 dev va");
            a.Ip("addr add 2001:db8::1/64 dev va nodad");
            b.Ip("addr add 198.18.0.2/24 dev vb");
            b.Ip("addr add 198.18.0.3/24 dev vb");
            b.Ip("addr add 2001:db8::2/64 dev vb nodad");
            b.Ip("addr add 2001:db8::3/64 dev vb nodad");
            a.Ip("link set va up");
            b.Ip("link set vb up");
            return new BindWire(a, b);
        }
        catch
        {
            b?.Dispose();
            a.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
    }
}
