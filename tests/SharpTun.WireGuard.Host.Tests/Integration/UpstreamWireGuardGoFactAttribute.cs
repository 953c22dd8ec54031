namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>A root fact against the newest upstream wireguard-go; skipped, with the reason, when that build is not on this machine.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class UpstreamWireGuardGoFactAttribute : FactAttribute
{
    /// <summary>Skips unless root and the binary exists.</summary>
    public UpstreamWireGuardGoFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = "needs root (CAP_NET_ADMIN and network namespaces); run the tests as root";
        }
        else if (!File.Exists(WireGuardGo.Upstream))
        {
            Skip = $"upstream wireguard-go not found at {WireGuardGo.Upstream} (set SHARPTUN_WIREGUARD_GO_UPSTREAM to its path)";
        }
    }
}
