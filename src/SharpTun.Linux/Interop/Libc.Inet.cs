namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    internal const int AF_INET = 2;
    internal const int AF_INET6 = 10;
    internal const int SOCK_DGRAM = 2;

    /// <summary>SIOCGIFMTU: <c>ifr_mtu</c> (an int at the union's offset) of the named interface, in the caller's namespace.</summary>
    internal const uint SIOCGIFMTU = 0x8921;
}
