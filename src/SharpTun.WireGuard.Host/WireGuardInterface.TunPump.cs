namespace SharpTun.WireGuard.Host;

public sealed partial class WireGuardInterface
{
    private readonly TunPump _tunPump;

    /// <summary>
    /// tun → UDP. Reads a batch at offset <see cref="Headroom"/> − vnet header, encrypts each packet in
    /// place (the data header lands in the headroom, padding and tag behind the packet), then sends the
    /// batch with one <see cref="IDatagramBind.Send"/> per distinct endpoint, in read order per endpoint.
    /// </summary>
    private sealed class TunPump
    {
        private readonly WireGuardInterface _owner;
        private readonly Memory<byte>[] _buffers;
        private readonly int[] _sizes;
        private readonly Memory<byte>[] _out;
        private readonly DatagramEndpoint[] _outDestination;
        private readonly PeerState?[] _outPeer;
        private readonly bool[] _outSent;
        private readonly Memory<byte>[] _group;
        private readonly int _readOffset;

        internal TunPump(WireGuardInterface owner)
        {
            _owner = owner;
            var batch = Math.Max(1, owner._tun.BatchSize);
            _readOffset = Headroom - owner._tun.VnetHeaderSize;
            var block = new byte[batch * SlotSize];
            _buffers = new Memory<byte>[batch];
            for (var i = 0; i < batch; i++)
            {
                _buffers[i] = block.AsMemory(i * SlotSize, SlotSize);
            }
            _sizes = new int[batch];
            _out = new Memory<byte>[batch];
            _outDestination = new DatagramEndpoint[batch];
            _outPeer = new PeerState?[batch];
            _outSent = new bool[batch];
            _group = new Memory<byte>[batch];
        }

        internal void Run()
        {
            while (RunOnce())
            {
            }
        }

        /// <summary>One batch: read (waits), encrypt, send. False once the device was shut down.</summary>
        internal bool RunOnce()
        {
            var tun = _owner._tun;
            var count = tun.Read(_buffers, _sizes, _readOffset);
            if (count == 0)
            {
                return false;
            }
            int sends;
            lock (_owner._gate)
            {
                sends = Encrypt(count, tun.VnetHeaderSize);
            }
            Flush(sends);
            return true;
        }

        /// <summary>Encrypts the batch under the lock; returns how many datagrams are ready in <see cref="_out"/>.</summary>
        private int Encrypt(int count, int vnet)
        {
            var device = _owner._device;
            var max = Math.Max(1, device.MaxQueuedPerPeer);
            var sends = 0;
            for (var i = 0; i < count; i++)
            {
                var length = _sizes[i] - vnet;
                if (length <= 0)
                {
                    continue;
                }
                var slot = _buffers[i].Span;
                if (Headroom + length > SlotSize - WireGuardConstants.PaddingMultiple - WireGuardConstants.TagSize)
                {
                    _owner.Count(DropReason.TooBig, null);
                    continue;
                }
                var packet = slot.Slice(Headroom, length);
                var peer = device.AllowedIps.LookupPacket(packet, source: false);
                if (peer is null)
                {
                    _owner.Count(DropReason.NoRoute, null);
                    continue;
                }
                var state = _owner.State(peer);
                _owner.Captured(peer, packet);
                var queuedBefore = peer.QueuedPackets;
                var r = device.Encapsulate(peer, packet, slot);
                if (queuedBefore >= max && peer.QueuedPackets >= max && !(r.Action == WireGuardAction.WriteToNetwork && r.Length != WireGuardConstants.InitiationSize))
                {
                    // The packet went into a full queue: the core dropped the oldest one for it.
                    _owner.Count(DropReason.QueueFull, state);
                }
                switch (r.Action)
                {
                    case WireGuardAction.WriteToNetwork when !r.Endpoint.IsSet:
                        _owner.Count(DropReason.NoEndpoint, state);
                        break;
                    case WireGuardAction.WriteToNetwork:
                        _out[sends] = _buffers[i][..r.Length];
                        _outDestination[sends] = state.Destination(r.Endpoint);
                        _outPeer[sends] = state;
                        sends++;
                        break;
                    case WireGuardAction.Error:
                        _owner.CountError(r);
                        break;
                }
            }
            return sends;
        }

        /// <summary>One send per distinct destination, datagrams in read order within each.</summary>
        private void Flush(int sends)
        {
            if (sends == 0)
            {
                return;
            }
            var bind = Volatile.Read(ref _owner._bind);
            Array.Clear(_outSent, 0, sends);
            for (var i = 0; i < sends; i++)
            {
                if (_outSent[i])
                {
                    continue;
                }
                var destination = _outDestination[i];
                var n = 0;
                for (var j = i; j < sends; j++)
                {
                    if (!_outSent[j] && _outDestination[j] == destination)
                    {
                        _group[n++] = _out[j];
                        _outSent[j] = true;
                    }
                }
                var errno = bind.Send(_group.AsSpan(0, n), 0, destination);
                if (errno != 0)
                {
                    _owner.SendFailed(errno, destination, _outPeer[i], n);
                }
            }
            Array.Clear(_outPeer, 0, sends);
        }
    }
}
