namespace SharpTun.Linux.Tun;

/// <summary>Whole-device operations built from the ioctls, as the command-line tools perform them.</summary>
public static class TunControl
{
    /// <summary>
    /// Creates a persistent device, sets its owner and group when given, and closes the fd; returns
    /// the device's name (the kernel's pick for an empty name or a template).
    /// Equivalent to: <c>ip tuntap add [dev NAME] mode tun|tap [user U] [group G] [pi] [vnet_hdr] [multi_queue]</c>.
    /// </summary>
    public static string AddPersistent(TunOptions options, int? owner = null, int? group = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var dev = TunDevice.Open(options);
        try
        {
            if (owner is { } uid)
            {
                dev.SetOwner(uid);
            }
            if (group is { } gid)
            {
                dev.SetGroup(gid);
            }
            dev.SetPersistent(true);
        }
        catch
        {
            // Leave nothing half-made behind: without IFF_PERSIST the device goes with the fd.
            TryUnpersist(dev);
            throw;
        }
        return dev.Name;
    }

    private static void TryUnpersist(TunDevice dev)
    {
        try
        {
            dev.SetPersistent(false);
        }
        catch (TunException)
        {
        }
    }
}
