using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

/// <summary>struct iovec (LP64).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IoVec
{
    internal byte* Base;
    internal nuint Length;
}

/// <summary>struct msghdr (LP64: x86_64, aarch64).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MsgHdr
{
    internal byte* Name;
    internal uint NameLength;
    internal IoVec* Iov;
    internal nuint IovLength;
    internal byte* Control;
    internal nuint ControlLength;
    internal int Flags;
}

/// <summary>struct mmsghdr: one message of recvmmsg/sendmmsg and the bytes it carried.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MMsgHdr
{
    internal MsgHdr Header;
    internal uint Length;
}
