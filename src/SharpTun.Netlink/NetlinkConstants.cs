namespace SharpTun.Netlink;

/// <summary>Message types and flags from &lt;linux/netlink.h&gt; and &lt;linux/rtnetlink.h&gt;.</summary>
internal static class Nl
{
    /// <summary>sizeof(struct nlmsghdr): u32 len, u16 type, u16 flags, u32 seq, u32 pid.</summary>
    internal const int HeaderSize = 16;

    /// <summary>Messages and attributes are padded to NLMSG_ALIGNTO = NLA_ALIGNTO = 4 bytes.</summary>
    internal static int Align(int length) => (length + 3) & ~3;

    internal const ushort NLMSG_NOOP = 1;
    internal const ushort NLMSG_ERROR = 2;
    internal const ushort NLMSG_DONE = 3;
    internal const ushort NLMSG_OVERRUN = 4;

    internal const ushort F_REQUEST = 0x01;
    internal const ushort F_MULTI = 0x02;
    internal const ushort F_ACK = 0x04;
    internal const ushort F_DUMP_INTR = 0x10;
    internal const ushort F_DUMP = 0x300;
    internal const ushort F_REPLACE = 0x100;
    internal const ushort F_EXCL = 0x200;
    internal const ushort F_CREATE = 0x400;
    /// <summary>On NLMSG_ERROR: the original request's payload was not echoed (NETLINK_CAP_ACK).</summary>
    internal const ushort F_CAPPED = 0x100;
    /// <summary>On NLMSG_ERROR: extended-ACK TLVs follow the echoed request.</summary>
    internal const ushort F_ACK_TLVS = 0x200;

    internal const ushort NLMSGERR_ATTR_MSG = 1;
    internal const ushort NLMSGERR_ATTR_OFFS = 2;

    /// <summary>NLA_F_NESTED: set in a nested attribute's type; NLA_F_NET_BYTEORDER likewise; the type is the low 14 bits.</summary>
    internal const ushort NLA_F_NESTED = 0x8000;
    internal const ushort NLA_TYPE_MASK = 0x3fff;

    internal const ushort RTM_NEWLINK = 16;
    internal const ushort RTM_DELLINK = 17;
    internal const ushort RTM_GETLINK = 18;
    internal const ushort RTM_SETLINK = 19;
    internal const ushort RTM_NEWADDR = 20;
    internal const ushort RTM_DELADDR = 21;
    internal const ushort RTM_GETADDR = 22;
    internal const ushort RTM_NEWROUTE = 24;
    internal const ushort RTM_DELROUTE = 25;
    internal const ushort RTM_GETROUTE = 26;

    internal const byte AF_UNSPEC = 0;
    internal const byte AF_UNIX = 1;
    internal const byte AF_INET = 2;
    internal const byte AF_INET6 = 10;
    internal const byte AF_BRIDGE = 7;
}
