namespace SharpTun.Netlink;

/// <summary>A bridge port's IFLA_INFO_SLAVE_DATA attribute types (IFLA_BRPORT_* in linux/if_link.h), Linux 6.1 numbering.</summary>
public enum BridgePortAttribute : ushort
{
    /// <summary>IFLA_BRPORT_STATE.</summary>
    State = 1,
    /// <summary>IFLA_BRPORT_PRIORITY.</summary>
    Priority = 2,
    /// <summary>IFLA_BRPORT_COST.</summary>
    Cost = 3,
    /// <summary>IFLA_BRPORT_MODE.</summary>
    Mode = 4,
    /// <summary>IFLA_BRPORT_GUARD.</summary>
    Guard = 5,
    /// <summary>IFLA_BRPORT_PROTECT.</summary>
    Protect = 6,
    /// <summary>IFLA_BRPORT_FAST_LEAVE.</summary>
    FastLeave = 7,
    /// <summary>IFLA_BRPORT_LEARNING.</summary>
    Learning = 8,
    /// <summary>IFLA_BRPORT_UNICAST_FLOOD.</summary>
    UnicastFlood = 9,
    /// <summary>IFLA_BRPORT_PROXYARP.</summary>
    Proxyarp = 10,
    /// <summary>IFLA_BRPORT_LEARNING_SYNC.</summary>
    LearningSync = 11,
    /// <summary>IFLA_BRPORT_PROXYARP_WIFI.</summary>
    ProxyarpWifi = 12,
    /// <summary>IFLA_BRPORT_ROOT_ID.</summary>
    RootId = 13,
    /// <summary>IFLA_BRPORT_BRIDGE_ID.</summary>
    BridgeId = 14,
    /// <summary>IFLA_BRPORT_DESIGNATED_PORT.</summary>
    DesignatedPort = 15,
    /// <summary>IFLA_BRPORT_DESIGNATED_COST.</summary>
    DesignatedCost = 16,
    /// <summary>IFLA_BRPORT_ID.</summary>
    Id = 17,
    /// <summary>IFLA_BRPORT_NO.</summary>
    No = 18,
    /// <summary>IFLA_BRPORT_TOPOLOGY_CHANGE_ACK.</summary>
    TopologyChangeAck = 19,
    /// <summary>IFLA_BRPORT_CONFIG_PENDING.</summary>
    ConfigPending = 20,
    /// <summary>IFLA_BRPORT_MESSAGE_AGE_TIMER.</summary>
    MessageAgeTimer = 21,
    /// <summary>IFLA_BRPORT_FORWARD_DELAY_TIMER.</summary>
    ForwardDelayTimer = 22,
    /// <summary>IFLA_BRPORT_HOLD_TIMER.</summary>
    HoldTimer = 23,
    /// <summary>IFLA_BRPORT_FLUSH.</summary>
    Flush = 24,
    /// <summary>IFLA_BRPORT_MULTICAST_ROUTER.</summary>
    MulticastRouter = 25,
    /// <summary>IFLA_BRPORT_PAD.</summary>
    Pad = 26,
    /// <summary>IFLA_BRPORT_MCAST_FLOOD.</summary>
    McastFlood = 27,
    /// <summary>IFLA_BRPORT_MCAST_TO_UCAST.</summary>
    McastToUcast = 28,
    /// <summary>IFLA_BRPORT_VLAN_TUNNEL.</summary>
    VlanTunnel = 29,
    /// <summary>IFLA_BRPORT_BCAST_FLOOD.</summary>
    BcastFlood = 30,
    /// <summary>IFLA_BRPORT_GROUP_FWD_MASK.</summary>
    GroupFwdMask = 31,
    /// <summary>IFLA_BRPORT_NEIGH_SUPPRESS.</summary>
    NeighSuppress = 32,
    /// <summary>IFLA_BRPORT_ISOLATED.</summary>
    Isolated = 33,
    /// <summary>IFLA_BRPORT_BACKUP_PORT.</summary>
    BackupPort = 34,
    /// <summary>IFLA_BRPORT_MRP_RING_OPEN.</summary>
    MrpRingOpen = 35,
    /// <summary>IFLA_BRPORT_MRP_IN_OPEN.</summary>
    MrpInOpen = 36,
    /// <summary>IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT.</summary>
    McastEhtHostsLimit = 37,
    /// <summary>IFLA_BRPORT_MCAST_EHT_HOSTS_CNT.</summary>
    McastEhtHostsCnt = 38,
    /// <summary>IFLA_BRPORT_LOCKED.</summary>
    Locked = 39,
}
