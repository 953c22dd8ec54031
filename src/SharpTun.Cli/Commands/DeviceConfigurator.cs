namespace SharpTun.Cli.Commands;

/// <summary>Configures a device the tunnel created: MTU, addresses, link up (over rtnetlink).</summary>
internal static class DeviceConfigurator
{
    internal static void Configure(string device, string[] addresses, int? mtu)
    {
        if (addresses.Length == 0 && mtu is null)
        {
            return;
        }
        throw new NotSupportedException($"cannot configure '{device}': rtnetlink support is not built yet");
    }
}
