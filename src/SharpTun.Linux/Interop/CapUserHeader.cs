using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

/// <summary><c>struct __user_cap_header_struct</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CapUserHeader
{
    public uint Version;
    public int Pid;
}
