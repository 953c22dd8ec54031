using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

/// <summary><c>struct __user_cap_data_struct</c> (one 32-bit word of each set).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CapUserData
{
    public uint Effective;
    public uint Permitted;
    public uint Inheritable;
}
