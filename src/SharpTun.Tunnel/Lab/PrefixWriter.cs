namespace SharpTun.Tunnel.Lab;

/// <summary>Prefixes every line written through it (to tell the lab's two transports apart in the log).</summary>
internal sealed class PrefixWriter(TextWriter inner, string prefix) : TextWriter
{
    public override System.Text.Encoding Encoding => inner.Encoding;

    public override void Write(char value) => inner.Write(value);

    public override void WriteLine(string? value) => inner.WriteLine(prefix + value);

    public override void Flush() => inner.Flush();
}
