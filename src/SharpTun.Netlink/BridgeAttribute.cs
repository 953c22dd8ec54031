namespace SharpTun.Netlink;

/// <summary>The bridge driver's IFLA_INFO_DATA attribute types (enum in linux/if_link.h, IFLA_BR_*), Linux 6.1 numbering.</summary>
public enum BridgeAttribute : ushort
{
    /// <summary>IFLA_BR_FORWARD_DELAY.</summary>
    ForwardDelay = 1,
    /// <summary>IFLA_BR_HELLO_TIME.</summary>
    HelloTime = 2,
    /// <summary>IFLA_BR_MAX_AGE.</summary>
    MaxAge = 3,
    /// <summary>IFLA_BR_AGEING_TIME.</summary>
    AgeingTime = 4,
    /// <summary>IFLA_BR_STP_STATE.</summary>
    StpState = 5,
    /// <summary>IFLA_BR_PRIORITY.</summary>
    Priority = 6,
    /// <summary>IFLA_BR_VLAN_FILTERING.</summary>
    VlanFiltering = 7,
    /// <summary>IFLA_BR_VLAN_PROTOCOL.</summary>
    VlanProtocol = 8,
    /// <summary>IFLA_BR_GROUP_FWD_MASK.</summary>
    GroupFwdMask = 9,
    /// <summary>IFLA_BR_ROOT_ID.</summary>
    RootId = 10,
    /// <summary>IFLA_BR_BRIDGE_ID.</summary>
    BridgeId = 11,
    /// <summary>IFLA_BR_ROOT_PORT.</summary>
    RootPort = 12,
    /// <summary>IFLA_BR_ROOT_PATH_COST.</summary>
    RootPathCost = 13,
    /// <summary>IFLA_BR_TOPOLOGY_CHANGE.</summary>
    TopologyChange = 14,
    /// <summary>IFLA_BR_TOPOLOGY_CHANGE_DETECTED.</summary>
    TopologyChangeDetected = 15,
    /// <summary>IFLA_BR_HELLO_TIMER.</summary>
    HelloTimer = 16,
    /// <summary>IFLA_BR_TCN_TIMER.</summary>
    TcnTimer = 17,
    /// <summary>IFLA_BR_TOPOLOGY_CHANGE_TIMER.</summary>
    TopologyChangeTimer = 18,
    /// <summary>IFLA_BR_GC_TIMER.</summary>
    GcTimer = 19,
    /// <summary>IFLA_BR_GROUP_ADDR.</summary>
    GroupAddr = 20,
    /// <summary>IFLA_BR_FDB_FLUSH.</summary>
    FdbFlush = 21,
    /// <summary>IFLA_BR_MCAST_ROUTER.</summary>
    McastRouter = 22,
    /// <summary>IFLA_BR_MCAST_SNOOPING.</summary>
    McastSnooping = 23,
    /// <summary>IFLA_BR_MCAST_QUERY_USE_IFADDR.</summary>
    McastQueryUseIfaddr = 24,
    /// <summary>IFLA_BR_MCAST_QUERIER.</summary>
    McastQuerier = 25,
    /// <summary>IFLA_BR_MCAST_HASH_ELASTICITY.</summary>
    McastHashElasticity = 26,
    /// <summary>IFLA_BR_MCAST_HASH_MAX.</summary>
    McastHashMax = 27,
    /// <summary>IFLA_BR_MCAST_LAST_MEMBER_CNT.</summary>
    McastLastMemberCnt = 28,
    /// <summary>IFLA_BR_MCAST_STARTUP_QUERY_CNT.</summary>
    McastStartupQueryCnt = 29,
    /// <summary>IFLA_BR_MCAST_LAST_MEMBER_INTVL.</summary>
    McastLastMemberIntvl = 30,
    /// <summary>IFLA_BR_MCAST_MEMBERSHIP_INTVL.</summary>
    McastMembershipIntvl = 31,
    /// <summary>IFLA_BR_MCAST_QUERIER_INTVL.</summary>
    McastQuerierIntvl = 32,
    /// <summary>IFLA_BR_MCAST_QUERY_INTVL.</summary>
    McastQueryIntvl = 33,
    /// <summary>IFLA_BR_MCAST_QUERY_RESPONSE_INTVL.</summary>
    McastQueryResponseIntvl = 34,
    /// <summary>IFLA_BR_MCAST_STARTUP_QUERY_INTVL.</summary>
    McastStartupQueryIntvl = 35,
    /// <summary>IFLA_BR_NF_CALL_IPTABLES.</summary>
    NfCallIptables = 36,
    /// <summary>IFLA_BR_NF_CALL_IP6TABLES.</summary>
    NfCallIp6tables = 37,
    /// <summary>IFLA_BR_NF_CALL_ARPTABLES.</summary>
    NfCallArptables = 38,
    /// <summary>IFLA_BR_VLAN_DEFAULT_PVID.</summary>
    VlanDefaultPvid = 39,
    /// <summary>IFLA_BR_PAD.</summary>
    Pad = 40,
    /// <summary>IFLA_BR_VLAN_STATS_ENABLED.</summary>
    VlanStatsEnabled = 41,
    /// <summary>IFLA_BR_MCAST_STATS_ENABLED.</summary>
    McastStatsEnabled = 42,
    /// <summary>IFLA_BR_MCAST_IGMP_VERSION.</summary>
    McastIgmpVersion = 43,
    /// <summary>IFLA_BR_MCAST_MLD_VERSION.</summary>
    McastMldVersion = 44,
    /// <summary>IFLA_BR_VLAN_STATS_PER_PORT.</summary>
    VlanStatsPerPort = 45,
    /// <summary>IFLA_BR_MULTI_BOOLOPT.</summary>
    MultiBoolopt = 46,
    /// <summary>IFLA_BR_MCAST_QUERIER_STATE.</summary>
    McastQuerierState = 47,
}
