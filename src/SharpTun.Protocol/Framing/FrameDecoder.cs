using System.Buffers.Binary;

namespace SharpTun.Protocol.Framing;

/// <summary>
/// Incremental, allocation-free decoder for <see cref="LengthPrefixFraming"/>. Feed it whatever a
/// stream read returned, in any split; it yields the same packets. A packet that lies wholly in
/// the caller's input is returned as a slice of it (no copy); one that straddles reads is
/// assembled in the decoder's own buffer, allocated once at construction (maxPacketLength bytes).
/// After <see cref="FrameDecodeStatus.InvalidLength"/> the decoder stays failed until <see cref="Reset"/>:
/// nothing after a bad length can be trusted, so the connection must be closed.
/// </summary>
public sealed class FrameDecoder
{
    private readonly byte[] _assembly;
    private readonly int _maxPacketLength;
    private int _headerBytes;      // 0..2 bytes of the current prefix seen so far
    private int _pendingLength;    // length announced by the current prefix, 0 while reading the prefix
    private int _assembled;        // bytes of the current packet copied into _assembly
    private byte _headerHigh;
    private bool _failed;

    /// <summary>Creates a decoder that accepts packets of 1..<paramref name="maxPacketLength"/> bytes (at most 65535).</summary>
    public FrameDecoder(int maxPacketLength)
    {
        if (maxPacketLength is < 1 or > LengthPrefixFraming.MaxPacketLength)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPacketLength), maxPacketLength, "must be 1..65535");
        }
        _maxPacketLength = maxPacketLength;
        _assembly = new byte[maxPacketLength];
    }

    /// <summary>The largest packet accepted.</summary>
    public int MaxPacketLength => _maxPacketLength;

    /// <summary>The length the stream announced when <see cref="FrameDecodeStatus.InvalidLength"/> was returned.</summary>
    public int InvalidLengthValue { get; private set; }

    /// <summary>True when a prefix or part of a packet is buffered (the stream ended mid-packet if it closes now).</summary>
    public bool HasPartialPacket => _headerBytes > 0;

    /// <summary>Bytes of the current partial frame held (prefix and packet bytes), for error messages.</summary>
    public int PartialBytes => _headerBytes + _assembled;

    /// <summary>The length announced by the pending prefix, or 0.</summary>
    public int PendingLength => _pendingLength;

    /// <summary>Forgets any partial frame and a previous failure (for a new connection).</summary>
    public void Reset()
    {
        _headerBytes = 0;
        _pendingLength = 0;
        _assembled = 0;
        _failed = false;
        InvalidLengthValue = 0;
    }

    /// <summary>
    /// Consumes bytes from the front of <paramref name="input"/> until one packet is complete, the
    /// input is used up, or a bad length is seen. On <see cref="FrameDecodeStatus.Packet"/>,
    /// <paramref name="packet"/> is valid until the next call or until the input buffer is reused.
    /// </summary>
    public FrameDecodeStatus Decode(ref ReadOnlySpan<byte> input, out ReadOnlySpan<byte> packet)
    {
        packet = default;
        if (_failed)
        {
            return FrameDecodeStatus.InvalidLength;
        }
        if (_headerBytes < LengthPrefixFraming.HeaderSize)
        {
            if (_headerBytes == 0 && input.Length >= LengthPrefixFraming.HeaderSize)
            {
                // Fast path: prefix (and perhaps the whole packet) within this input.
                var length = BinaryPrimitives.ReadUInt16BigEndian(input);
                if (!Accept(length))
                {
                    return FrameDecodeStatus.InvalidLength;
                }
                if (input.Length >= LengthPrefixFraming.HeaderSize + length)
                {
                    packet = input.Slice(LengthPrefixFraming.HeaderSize, length);
                    input = input[(LengthPrefixFraming.HeaderSize + length)..];
                    _pendingLength = 0;
                    return FrameDecodeStatus.Packet;
                }
                _headerBytes = LengthPrefixFraming.HeaderSize;
                input = input[LengthPrefixFraming.HeaderSize..];
            }
            else
            {
                while (_headerBytes < LengthPrefixFraming.HeaderSize)
                {
                    if (input.IsEmpty)
                    {
                        return FrameDecodeStatus.NeedMoreData;
                    }
                    if (_headerBytes == 0)
                    {
                        _headerHigh = input[0];
                        _headerBytes = 1;
                    }
                    else
                    {
                        var length = (_headerHigh << 8) | input[0];
                        _headerBytes = 2;
                        if (!Accept(length))
                        {
                            return FrameDecodeStatus.InvalidLength;
                        }
                    }
                    input = input[1..];
                }
            }
        }
        // Prefix complete: gather packet bytes into the assembly buffer.
        var want = _pendingLength - _assembled;
        var take = Math.Min(want, input.Length);
        input[..take].CopyTo(_assembly.AsSpan(_assembled));
        input = input[take..];
        _assembled += take;
        if (_assembled < _pendingLength)
        {
            return FrameDecodeStatus.NeedMoreData;
        }
        packet = _assembly.AsSpan(0, _pendingLength);
        _headerBytes = 0;
        _pendingLength = 0;
        _assembled = 0;
        return FrameDecodeStatus.Packet;
    }

    private bool Accept(int length)
    {
        if (length == 0 || length > _maxPacketLength)
        {
            _failed = true;
            InvalidLengthValue = length;
            return false;
        }
        _pendingLength = length;
        _assembled = 0;
        return true;
    }
}
