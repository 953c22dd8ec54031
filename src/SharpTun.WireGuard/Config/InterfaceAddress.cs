using System.Net;

namespace SharpTun.WireGuard;

/// <summary>An interface address with its prefix length, host bits kept (<c>Address = 10.0.0.1/24</c>).</summary>
/// <param name="Address">The address.</param>
/// <param name="PrefixLength">0..32 (IPv4) or 0..128 (IPv6); a bare address in the config means 32 / 128.</param>
public readonly record struct InterfaceAddress(IPAddress Address, int PrefixLength)
{
    /// <summary><c>ADDR/LEN</c>.</summary>
    public override string ToString() => $"{Address}/{PrefixLength}";
}
