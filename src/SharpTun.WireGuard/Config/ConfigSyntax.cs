namespace SharpTun.WireGuard;

/// <summary>Which config keys a parse accepts.</summary>
public enum ConfigSyntax
{
    /// <summary>wg-quick(8): the wg keys plus Address, DNS, MTU, Table, PreUp/PostUp/PreDown/PostDown, SaveConfig.</summary>
    WgQuick,

    /// <summary>wg(8) <c>setconf</c>/<c>addconf</c>/<c>syncconf</c>: only PrivateKey, ListenPort, FwMark and the [Peer] keys.</summary>
    Wg,
}
