using System.Buffers.Binary;
using SharpTun.Packets.Offload;

namespace SharpTun.WireGuard.Host;

public sealed partial class WireGuardInterface
{
    private readonly NetPump _netPump;

    /// <summary>
    /// UDP → tun. Receives a batch; data messages are decrypted in place (the plaintext lands at
    /// <see cref="Headroom"/>, where the tun write takes it); handshake messages have their mac1 checked
    /// and go to the <see cref="HandshakeStage"/> (its doc draws the receive side's threads); cookie
    /// replies are consumed here (cheap, and only for a live index).
    /// </summary>
    private sealed class NetPump
    {
        private readonly WireGuardInterface _owner;
        private readonly Memory<byte>[] _buffers;
        private readonly int[] _sizes;
        private readonly DatagramEndpoint[] _endpoints;
        private readonly Memory<byte>[] _tunOut;
        private readonly byte[] _scratch = new byte[SlotSize];
        private readonly Memory<byte>[] _one = new Memory<byte>[1];
        private readonly int _writeOffset;
        private readonly int _vnet;
        private readonly TunCoalescingWriter? _coalescer;
        private readonly Memory<byte>[] _plain;
        private int _plainCount;

        internal NetPump(WireGuardInterface owner)
        {
            _owner = owner;
            // The bind's batch size may change with a rebind; 128 covers every implementation we have.
            const int batch = 128;
            _buffers = Slots(batch, SlotSize);
            _sizes = new int[batch];
            _endpoints = new DatagramEndpoint[batch];
            _tunOut = new Memory<byte>[batch];
            _vnet = owner._tun.VnetHeaderSize;
            _writeOffset = Headroom - _vnet;
            var offloads = _vnet > 0 ? owner._tun.Offloads : PacketOffloads.None;
            if ((offloads & PacketOffloads.TcpSegmentation) != 0)
            {
                // GRO in user space: decrypted packets are merged into super-packets for the tun.
                _coalescer = new TunCoalescingWriter(owner._tun);
                _plain = new Memory<byte>[batch];
            }
            else
            {
                _plain = [];
            }
        }

        internal void Run(IDatagramBind bind)
        {
            while (RunOnce(bind))
            {
            }
        }

        /// <summary>One batch: receive (waits), decrypt and answer, write to the tun. False once the socket was shut down.</summary>
        internal bool RunOnce(IDatagramBind bind)
        {
            var take = Math.Clamp(bind.BatchSize, 1, _buffers.Length);
            var count = bind.Receive(_buffers.AsSpan(0, take), _sizes, _endpoints, 0);
            if (count == 0)
            {
                return false;
            }
            _owner._pumpGate.EnterBatch();
            try
            {
                _plainCount = 0;
                var writes = Decrypt(count, bind);
                // The batch's handshakes: the workers are woken once; without workers (tests drive the pumps
                // batch by batch) they are done here, after the batch's data.
                _owner.Handshakes.Signal();
                _owner.Handshakes.Drain();
                if (_coalescer is not null)
                {
                    WriteCoalesced();
                }
                else if (writes > 0)
                {
                    var accepted = _owner._tun.Write(_tunOut.AsSpan(0, writes), _writeOffset);
                    if (accepted < writes)
                    {
                        _owner.Count(DropReason.TunWriteFailed, null, writes - accepted);
                    }
                }
            }
            finally
            {
                _owner._pumpGate.ExitBatch();
            }
            return true;
        }

        /// <summary>Merges the batch's decrypted packets into super-packets (GRO) and writes them.</summary>
        private void WriteCoalesced()
        {
            if (_plainCount == 0)
            {
                return;
            }
            var r = _coalescer!.Write(_plain.AsSpan(0, _plainCount), 0);
            _owner._offloadStats.Coalesced(r.SuperPackets, r.PacketsCoalesced);
            if (r.TooBig > 0)
            {
                _owner.Count(DropReason.TooBig, null, r.TooBig);
            }
            if (r.OutputsRefused > 0)
            {
                _owner.Count(DropReason.TunWriteFailed, null, r.OutputsRefused);
            }
        }

        private int Decrypt(int count, IDatagramBind bind)
        {
            var device = _owner._device;
            var writes = 0;
            for (var i = 0; i < count; i++)
            {
                var size = _sizes[i];
                if (size < 0)
                {
                    _owner.Count(DropReason.TooBig, null);
                    continue;
                }
                var slot = _buffers[i].Span;
                var datagram = slot[..size];
                var source = _endpoints[i];
                var type = size >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(datagram) : 0;
                var isData = size >= WireGuardConstants.DataMinimumSize && type == 4;
                if ((type == 1 && size == WireGuardConstants.InitiationSize) || (type == 2 && size == WireGuardConstants.ResponseSize))
                {
                    _owner.AdmitHandshake(device, datagram, source);
                    continue;
                }
                // Data decrypts in place: ciphertext at 16.., plaintext written over it at 16...
                var r = isData
                    ? device.Decapsulate(source.Remote, datagram, slot[Headroom..])
                    : device.Decapsulate(source.Remote, datagram, _scratch);
                PeerState? state = null;
                if (r.Peer is not null)
                {
                    state = _owner.State(r.Peer);
                    if (r.Peer.Endpoint == source.Remote)
                    {
                        // The core roamed (or confirmed) the endpoint on an authenticated packet:
                        // keep the local address it arrived on, so replies leave from it.
                        state.Endpoint = source;
                    }
                }
                switch (r.Action)
                {
                    case WireGuardAction.WriteToTunnel when _coalescer is not null:
                        _owner.Captured(r.Peer!, slot.Slice(Headroom, r.Length));
                        _plain[_plainCount++] = _buffers[i].Slice(Headroom, r.Length);
                        break;
                    case WireGuardAction.WriteToTunnel:
                        _owner.Captured(r.Peer!, slot.Slice(Headroom, r.Length));
                        if (_vnet > 0)
                        {
                            slot.Slice(_writeOffset, _vnet).Clear();
                        }
                        _tunOut[writes++] = _buffers[i][..(Headroom + r.Length)];
                        break;
                    case WireGuardAction.WriteToNetwork:
                        _one[0] = _scratch.AsMemory(0, r.Length);
                        var destination = state?.Destination(r.Endpoint) ?? source;
                        var errno = bind.Send(_one, 0, destination);
                        if (errno != 0)
                        {
                            _owner.SendFailed(errno, destination, state, 1);
                        }
                        break;
                    case WireGuardAction.Error:
                        _owner.CountError(r);
                        break;
                }
                if (r.Peer is not null && r.Peer.QueuedPackets > 0 && r.Peer.HasSession)
                {
                    _owner.SendPending(state!, _scratch, bind);
                }
            }
            return writes;
        }
    }
}
