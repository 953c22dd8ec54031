namespace SharpTun.Netlink;

/// <summary>Attribute numbers from &lt;linux/if_link.h&gt;, &lt;linux/if_addr.h&gt;, &lt;linux/rtnetlink.h&gt;, &lt;linux/veth.h&gt;.</summary>
internal static class Rt
{
    /// <summary>sizeof(struct ifinfomsg): u8 family, u8 pad, u16 type, i32 index, u32 flags, u32 change.</summary>
    internal const int IfInfoMsgSize = 16;
    /// <summary>sizeof(struct ifaddrmsg): u8 family, u8 prefixlen, u8 flags, u8 scope, u32 index.</summary>
    internal const int IfAddrMsgSize = 8;
    /// <summary>sizeof(struct rtmsg): family, dst_len, src_len, tos, table, protocol, scope, type (u8 each), u32 flags.</summary>
    internal const int RtMsgSize = 12;

    internal const ushort IFLA_ADDRESS = 1;
    internal const ushort IFLA_BROADCAST = 2;
    internal const ushort IFLA_IFNAME = 3;
    internal const ushort IFLA_MTU = 4;
    internal const ushort IFLA_LINK = 5;
    internal const ushort IFLA_QDISC = 6;
    internal const ushort IFLA_MASTER = 10;
    internal const ushort IFLA_TXQLEN = 13;
    internal const ushort IFLA_OPERSTATE = 16;
    internal const ushort IFLA_LINKMODE = 17;
    internal const ushort IFLA_LINKINFO = 18;
    internal const ushort IFLA_NET_NS_PID = 19;
    internal const ushort IFLA_IFALIAS = 20;
    internal const ushort IFLA_STATS64 = 23;
    internal const ushort IFLA_GROUP = 27;
    internal const ushort IFLA_NET_NS_FD = 28;
    internal const ushort IFLA_EXT_MASK = 29;
    internal const ushort IFLA_PROMISCUITY = 30;
    internal const ushort IFLA_NUM_TX_QUEUES = 31;
    internal const ushort IFLA_NUM_RX_QUEUES = 32;
    internal const ushort IFLA_CARRIER = 33;
    internal const ushort IFLA_LINK_NETNSID = 37;
    internal const ushort IFLA_MIN_MTU = 50;
    internal const ushort IFLA_MAX_MTU = 51;
    internal const ushort IFLA_ALLMULTI = 61;
    internal const ushort IFLA_AF_SPEC = 26;
    internal const ushort IFLA_GSO_MAX_SEGS = 40;
    internal const ushort IFLA_GSO_MAX_SIZE = 41;
    internal const ushort IFLA_GRO_MAX_SIZE = 58;
    internal const ushort IFLA_TSO_MAX_SIZE = 59;
    internal const ushort IFLA_TSO_MAX_SEGS = 60;

    /// <summary>Inside IFLA_AF_SPEC's AF_INET6 (10) nest: the IPv6 link-local address generation mode (u8).</summary>
    internal const ushort IFLA_INET6_ADDR_GEN_MODE = 8;

    internal const ushort IFLA_INFO_KIND = 1;
    internal const ushort IFLA_INFO_DATA = 2;
    internal const ushort IFLA_INFO_SLAVE_KIND = 4;
    internal const ushort IFLA_INFO_SLAVE_DATA = 5;

    internal const ushort VETH_INFO_PEER = 1;

    /// <summary>RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS are not wanted; 0 keeps stats64 in dumps.</summary>
    internal const uint RTEXT_FILTER_NONE = 0;

    internal const ushort IFA_ADDRESS = 1;
    internal const ushort IFA_LOCAL = 2;
    internal const ushort IFA_LABEL = 3;
    internal const ushort IFA_BROADCAST = 4;
    internal const ushort IFA_CACHEINFO = 6;
    internal const ushort IFA_FLAGS = 8;
    internal const ushort IFA_PROTO = 11;

    internal const ushort RTA_DST = 1;
    internal const ushort RTA_SRC = 2;
    internal const ushort RTA_IIF = 3;
    internal const ushort RTA_OIF = 4;
    internal const ushort RTA_GATEWAY = 5;
    internal const ushort RTA_PRIORITY = 6;
    internal const ushort RTA_PREFSRC = 7;
    internal const ushort RTA_METRICS = 8;
    internal const ushort RTAX_MTU = 2;
    internal const ushort RTA_TABLE = 15;
    internal const ushort RTA_PREF = 20;
    internal const ushort RTA_UID = 25;

    internal const uint IFF_UP = 0x1;
    internal const uint IFF_NOARP = 0x80;
    internal const uint IFF_PROMISC = 0x100;
    internal const uint IFF_ALLMULTI = 0x200;
    internal const uint IFF_MULTICAST = 0x1000;

    internal const byte RT_TABLE_UNSPEC = 0;
    internal const byte RT_TABLE_MAIN = 254;
    internal const byte RTPROT_BOOT = 3;
    internal const byte RT_SCOPE_UNIVERSE = 0;
    internal const byte RT_SCOPE_LINK = 253;
    internal const byte RT_SCOPE_HOST = 254;
    internal const byte RT_SCOPE_NOWHERE = 255;
    internal const byte RTN_UNICAST = 1;
    internal const uint RTM_F_CLONED = 0x200;
}
