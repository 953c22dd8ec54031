using Xunit;

namespace SharpTun.Testing;

/// <summary>
/// A fact that needs root (CAP_NET_ADMIN, network namespaces). When the test process is not
/// root it is reported as skipped with the reason, never as passed.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootFactAttribute : FactAttribute
{
    /// <summary>Marks the test skipped unless the process runs as root.</summary>
    public RootFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = "needs root (CAP_NET_ADMIN and network namespaces); run the tests as root";
        }
    }
}

/// <summary>A theory that needs root; see <see cref="RootFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootTheoryAttribute : TheoryAttribute
{
    /// <summary>Marks the test skipped unless the process runs as root.</summary>
    public RootTheoryAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = "needs root (CAP_NET_ADMIN and network namespaces); run the tests as root";
        }
    }
}
