using System.Text;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>A TextWriter that forwards whole lines to the test output (logs from the host appear in the test result).</summary>
internal sealed class XunitWriter(ITestOutputHelper output) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void WriteLine(string? value)
    {
        try
        {
            output.WriteLine(value ?? "");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; a late log line has nowhere to go.
        }
    }
}
