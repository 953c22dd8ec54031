namespace SharpTun.Testing;

/// <summary>Per-run unique short names (≤ 15 bytes, IFNAMSIZ-1) so parallel or repeated runs never collide.</summary>
public static class UniqueName
{
    private static int s_counter;
    private static readonly string s_run = (Environment.ProcessId % 100000).ToString("x") + Random.Shared.Next(0, 36 * 36).ToString("x3");

    /// <summary>A name like <c>st1a2b3c07</c>: prefix + pid/random run tag + counter; at most 15 characters.</summary>
    public static string Next(string prefix = "st")
    {
        var n = Interlocked.Increment(ref s_counter);
        var name = $"{prefix}{s_run}{n:x}";
        return name.Length <= 15 ? name : name[^15..];
    }
}
