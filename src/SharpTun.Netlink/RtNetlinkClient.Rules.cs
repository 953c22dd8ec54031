using System.Net.Sockets;

namespace SharpTun.Netlink;

public sealed partial class RtNetlinkClient
{
    private const ushort RTM_NEWRULE = 32;
    private const ushort RTM_DELRULE = 33;
    private const ushort RTM_GETRULE = 34;

    /// <summary>Lists the policy routing rules of one family (IPv4 by default, as ip). Equivalent to: <c>ip [-6] rule show</c>.</summary>
    public IReadOnlyList<RuleInfo> GetRules(AddressFamily family = AddressFamily.InterNetwork)
    {
        var req = new NetlinkMessageBuilder(RTM_GETRULE, Nl.F_DUMP);
        req.Reserve(RuleInfo.HeaderSize)[0] = FamilyByte(family);
        return [.. _connection.Query(req, "cannot list rules")
            .Where(m => m.Type == RTM_NEWRULE)
            .Select(m => RuleInfo.Parse(m.Payload))];
    }

    /// <summary>
    /// Adds a rule; without a table it looks up main. For WireGuard-style fwmark routing:
    /// <c>RuleAdd(new RuleSpec { Invert = true, FwMark = 0xca6c, Table = 51820 })</c>.
    /// Equivalent to: <c>ip rule add $rule</c>.
    /// </summary>
    public void RuleAdd(RuleSpec rule) => ModifyRule(rule, RTM_NEWRULE, Nl.F_CREATE | Nl.F_EXCL, "add");

    /// <summary>Deletes the first rule that matches every field given. Equivalent to: <c>ip rule del $rule</c>.</summary>
    public void RuleDelete(RuleSpec rule) => ModifyRule(rule, RTM_DELRULE, 0, "delete");

    private void ModifyRule(RuleSpec rule, ushort type, ushort flags, string verb)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var op = $"cannot {verb} rule {rule}";
        var family = rule.Source?.Address.AddressFamily ?? rule.Destination?.Address.AddressFamily
            ?? (rule.IPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
        if (rule.Source is { } s && rule.Destination is { } d && s.Address.AddressFamily != d.Address.AddressFamily)
        {
            throw new ArgumentException($"{op}: from and to are of different address families");
        }
        var add = type == RTM_NEWRULE;
        var action = rule.Action ?? (add ? RuleInfo.ActionLookup : (rule.Table is null ? (byte)0 : RuleInfo.ActionLookup));
        var table = rule.Table ?? (add && action == RuleInfo.ActionLookup ? Rt.RT_TABLE_MAIN : 0u);
        var req = new NetlinkMessageBuilder(type, flags);
        var h = req.Reserve(RuleInfo.HeaderSize);
        h[0] = family == AddressFamily.InterNetwork ? Nl.AF_INET : Nl.AF_INET6;
        h[1] = (byte)(rule.Destination?.Length ?? 0);
        h[2] = (byte)(rule.Source?.Length ?? 0);
        h[4] = table < 256 ? (byte)table : Rt.RT_TABLE_UNSPEC;
        h[7] = action;
        if (rule.Invert)
        {
            h[8] = (byte)RuleInfo.FIB_RULE_INVERT;
        }
        if (rule.Source is { } src)
        {
            req.Add(RuleInfo.FRA_SRC, src.Address.GetAddressBytes());
        }
        if (rule.Destination is { } dst)
        {
            req.Add(RuleInfo.FRA_DST, dst.Address.GetAddressBytes());
        }
        if (rule.Priority is { } prio)
        {
            req.AddU32(RuleInfo.FRA_PRIORITY, prio);
        }
        if (rule.FwMark is { } mark)
        {
            req.AddU32(RuleInfo.FRA_FWMARK, mark);
        }
        if (rule.FwMask is { } mask)
        {
            req.AddU32(RuleInfo.FRA_FWMASK, mask);
        }
        if (rule.InputInterface is { } iif)
        {
            req.AddString(RuleInfo.FRA_IIFNAME, iif);
        }
        if (rule.OutputInterface is { } oif)
        {
            req.AddString(RuleInfo.FRA_OIFNAME, oif);
        }
        if (table >= 256)
        {
            req.AddU32(RuleInfo.FRA_TABLE, table);
        }
        if (rule.SuppressPrefixLength is { } pl)
        {
            req.AddU32(RuleInfo.FRA_SUPPRESS_PREFIXLEN, unchecked((uint)pl));
        }
        _connection.Execute(req, op);
    }
}
