namespace SharpTun.WireGuard;

/// <summary>Facts about <see cref="WireGuardError"/> values.</summary>
internal static class WireGuardErrors
{
    /// <summary>Number of values (counter array size).</summary>
    internal static readonly int Count = Enum.GetValues<WireGuardError>().Length;
}
