#!/usr/bin/env python3
"""Captures the offload test vectors from a real tun device (run as root, inside a fresh
network namespace: `ip netns exec NS python3 capture.py DIR`; the test namespace has no route out).

The tun is opened with IFF_TUN|IFF_NO_PI|IFF_VNET_HDR and TUNSETOFFLOAD TUN_F_CSUM|TSO4|TSO6|
USO4|USO6. This script plays the peer 198.18.0.2 itself (SYN-ACK, ACKs written back into the
tun), so the local TCP stack opens its window and hands the device 64 KB TSO super-packets.
Files written, each a sequence of records: 2-byte little-endian length, then that many bytes
(10-byte virtio-net header + IP packet):
  tso-v4.bin       one TCPv4 GSO super-packet of >= 60000 bytes
  uso-v4.bin       one UDPv4 UDP_L4 super-packet (64000 payload bytes sent with UDP_SEGMENT 1000)
  segments-v4.bin  60 consecutive MTU-sized segments of the same TCP flow after TUNSETOFFLOAD 0
                   (the kernel segmented them in software), written back as plain packets
  tso-v6.bin       one TCPv6 GSO super-packet of >= 60000 bytes (2001:db8::1 -> 2001:db8::2)
"""
import fcntl, os, socket, struct, subprocess, sys, threading, time

TUNSETIFF, TUNSETOFFLOAD = 0x400454CA, 0x400454D0
IFF_TUN, IFF_NO_PI, IFF_VNET_HDR = 0x0001, 0x1000, 0x4000
TUN_F = 0x01 | 0x02 | 0x04 | 0x20 | 0x40
LOCAL, PEER = "198.18.0.1", "198.18.0.2"

def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF

def tcp_packet(src, dst, sport, dport, seq, ack, flags, window, options=b""):
    thl = 20 + len(options)
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, (thl // 4) << 4, flags, window, 0, 0) + options
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0, socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + tcp

def tcp_packet6(src, dst, sport, dport, seq, ack, flags, window, options=b""):
    thl = 20 + len(options)
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, (thl // 4) << 4, flags, window, 0, 0) + options
    s, d = socket.inet_pton(socket.AF_INET6, src), socket.inet_pton(socket.AF_INET6, dst)
    tcp = tcp[:16] + struct.pack("!H", csum(s + d + struct.pack("!IxxxB", len(tcp), 6) + tcp)) + tcp[18:]
    return struct.pack("!IHBB", 6 << 28, len(tcp), 6, 64) + s + d + tcp

def save(path, records):
    with open(path, "wb") as f:
        for r in records:
            f.write(struct.pack("<H", len(r)) + r)

def main(out):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", b"tso0", IFF_TUN | IFF_NO_PI | IFF_VNET_HDR))
    fcntl.ioctl(fd, TUNSETOFFLOAD, TUN_F)
    for cmd in ["ip link set lo up", "ip link set tso0 mtu 1500 up", f"ip addr add {LOCAL}/24 dev tso0"]:
        subprocess.run(cmd.split(), check=True)
    def read():
        b = os.read(fd, 70000)
        return b[:10], b[10:]
    def write(pkt):
        os.write(fd, b"\0" * 10 + pkt)

    # USO: one sendto of 64000 bytes with UDP_SEGMENT 1000.
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.setsockopt(17, 103, 1000)
    u.sendto(bytes((i * 7 + (i >> 8)) & 0xFF for i in range(64000)), (PEER, 9))
    deadline = time.time() + 10
    while time.time() < deadline:
        h, p = read()
        if p[0] >> 4 == 4 and p[9] == 17 and h[1] == 5:
            save(os.path.join(out, "uso-v4.bin"), [h + p]); break
    else:
        sys.exit("no USO super-packet")

    # TCP: connect, answer as the peer, ack everything.
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    def client():
        c.connect((PEER, 5201))
        data = bytes((i * 13) & 0xFF for i in range(1 << 20))
        try:
            for _ in range(64): c.sendall(data)
        except OSError:
            pass
    threading.Thread(target=client, daemon=True).start()
    isn, tso, segments, phase = 0x10000000, None, [], 1
    deadline = time.time() + 30
    while time.time() < deadline:
        h, p = read()
        if p[0] >> 4 != 4 or p[9] != 6: continue
        ihl = (p[0] & 15) * 4
        sport, dport, seq, ack, off, flags = struct.unpack("!HHIIBB", p[ihl:ihl + 14])
        thl = (off >> 4) * 4
        length = len(p) - ihl - thl
        if flags & 0x02:  # SYN: SYN-ACK with MSS 1460, window scale 7
            write(tcp_packet(PEER, LOCAL, dport, sport, isn, seq + 1, 0x12, 65535, bytes([2, 4, 0x05, 0xB4, 1, 3, 3, 7])))
            continue
        if length == 0: continue
        write(tcp_packet(PEER, LOCAL, dport, sport, isn + 1, (seq + length) & 0xFFFFFFFF, 0x10, 65535))
        if phase == 1 and h[1] == 1 and len(p) >= 60000:
            tso = h + p
            fcntl.ioctl(fd, TUNSETOFFLOAD, 0)
            phase = 2
        elif phase == 2 and h[1] == 0 and len(p) == 1500:
            if segments and struct.unpack("!I", segments[-1][10 + 24:10 + 28])[0] + 1460 != seq:
                segments = []
            segments.append(h + p)
            if len(segments) == 60: break
    if tso is None or len(segments) < 60:
        sys.exit(f"capture incomplete: tso={tso is not None} segments={len(segments)}")
    save(os.path.join(out, "tso-v4.bin"), [tso])
    save(os.path.join(out, "segments-v4.bin"), segments)
    fcntl.ioctl(fd, TUNSETOFFLOAD, TUN_F)
    capture_v6(out, read, write)
    print(f"tso {len(tso) - 10} bytes gso_size {struct.unpack('<H', tso[4:6])[0]}; {len(segments)} segments")

def capture_v6(out, read, write):
    L6, P6 = "2001:db8::1", "2001:db8::2"
    subprocess.run(f"ip -6 addr add {L6}/64 dev tso0 nodad".split(), check=True)
    c = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    def client():
        c.connect((P6, 5201))
        data = bytes((i * 13) & 0xFF for i in range(1 << 20))
        try:
            for _ in range(64): c.sendall(data)
        except OSError:
            pass
    threading.Thread(target=client, daemon=True).start()
    isn = 0x20000000
    deadline = time.time() + 30
    while time.time() < deadline:
        h, p = read()
        if p[0] >> 4 != 6 or p[6] != 6: continue
        sport, dport, seq, ack, off, flags = struct.unpack("!HHIIBB", p[40:54])
        length = len(p) - 40 - (off >> 4) * 4
        if flags & 0x02:
            write(tcp_packet6(P6, L6, dport, sport, isn, seq + 1, 0x12, 65535, bytes([2, 4, 0x05, 0xA0, 1, 3, 3, 7])))
            continue
        if length == 0: continue
        write(tcp_packet6(P6, L6, dport, sport, isn + 1, (seq + length) & 0xFFFFFFFF, 0x10, 65535))
        if h[1] == 4 and len(p) >= 60000:
            save(os.path.join(out, "tso-v6.bin"), [h + p])
            print(f"tso6 {len(p)} bytes gso_size {struct.unpack('<H', h[4:6])[0]}")
            return
    sys.exit("no TCPv6 super-packet")

if __name__ == "__main__":
    main(sys.argv[1])
