using SharpTun.WireGuard;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Tests;

/// <summary>
/// 1,000,000 seeded random and mutated messages of all four types: no exception, nothing accepted.
/// Handshake mutations stay out of mac2, which by design is only checked under load.
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void OneMillionRandomAndMutatedMessages_NoExceptions_NoneAccepted()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);

        using var live = new PeerPair(seed: 11);
        live.Handshake();
        var data = live.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 100), new byte[2048]);
        var dataMsg = new byte[data.Length];
        live.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 100), dataMsg);

        // A second pair with A2 waiting for a response: a valid initiation, response and cookie reply to mutate.
        using var pending = new PeerPair(seed: 12);
        var init = pending.A.InitiateHandshake(pending.PeerBOnA, pending.Buffer, force: true);
        var initMsg = pending.Buffer.AsSpan(0, init.Length).ToArray();
        pending.B.UnderLoad = true;
        var cookie = pending.B.Decapsulate(PeerPair.EndA, initMsg, pending.Buffer2);
        var cookieMsg = pending.Buffer2.AsSpan(0, cookie.Length).ToArray();
        pending.B.UnderLoad = false;
        var resp = pending.B.Decapsulate(PeerPair.EndA, initMsg, pending.Buffer2);
        var respMsg = pending.Buffer2.AsSpan(0, resp.Length).ToArray();
        Assert.Equal((148, 64, 92), (initMsg.Length, cookieMsg.Length, respMsg.Length));

        // Targets: who would accept the unmutated message.
        (WireGuardDevice To, byte[] Original, int Protected)[] targets =
        [
            (live.B, initMsg, 132),          // B knows A: a mutated initiation must fail mac1 or decryption
            (pending.A, respMsg, 76),
            (pending.A, cookieMsg, 64),
            (live.B, dataMsg, dataMsg.Length),
        ];
        var devices = new[] { live.A, live.B, pending.A, pending.B };
        var buffer = new byte[4096];
        var scratch = new byte[4096];
        long accepted = 0, exceptions = 0;
        var errors = new Dictionary<WireGuardError, int>();
        for (var i = 0; i < 1_000_000; i++)
        {
            WireGuardDevice to;
            ReadOnlySpan<byte> msg;
            if ((i & 1) == 0)
            {
                var len = rng.Next(8) switch
                {
                    0 => 148, 1 => 92, 2 => 64, 3 => rng.Next(32, 200), _ => rng.Next(0, 300),
                };
                rng.NextBytes(scratch.AsSpan(0, len));
                if (len >= 4 && rng.Next(2) == 0)
                {
                    scratch[0] = (byte)rng.Next(1, 5);
                    scratch[1] = scratch[2] = scratch[3] = 0;
                }
                to = devices[rng.Next(devices.Length)];
                msg = scratch.AsSpan(0, len);
            }
            else
            {
                var (target, original, protectedLength) = targets[rng.Next(targets.Length)];
                to = target;
                original.CopyTo(scratch, 0);
                var len = original.Length;
                switch (rng.Next(5))
                {
                    case 0: // truncate
                        len = rng.Next(0, original.Length);
                        break;
                    case 1: // extend with random bytes
                        var extra = rng.Next(1, 40);
                        rng.NextBytes(scratch.AsSpan(len, extra));
                        len += extra;
                        break;
                    case 2: // overwrite a random run inside the protected part
                        var at = rng.Next(protectedLength);
                        var run = Math.Min(rng.Next(1, 9), protectedLength - at);
                        rng.NextBytes(scratch.AsSpan(at, run));
                        break;
                    default: // flip 1..4 bits inside the protected part
                        for (var k = rng.Next(1, 5); k > 0; k--)
                        {
                            scratch[rng.Next(protectedLength)] ^= (byte)(1 << rng.Next(8));
                        }
                        break;
                }
                if (len == original.Length && scratch.AsSpan(0, len).SequenceEqual(original))
                {
                    scratch[rng.Next(protectedLength)] ^= 0x80;
                }
                msg = scratch.AsSpan(0, len);
            }
            try
            {
                var r = to.Decapsulate(PeerPair.EndA, msg, buffer);
                if (r.Action != WireGuardAction.Error)
                {
                    accepted++;
                    Assert.Fail($"seed {seed}, message {i} ({Convert.ToHexString(msg)}) was accepted: {r}");
                }
                errors[r.Error] = errors.GetValueOrDefault(r.Error) + 1;
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                exceptions++;
                Assert.Fail($"seed {seed}, message {i} ({Convert.ToHexString(msg)}) threw {e}");
            }
        }
        output.WriteLine(string.Join(", ", errors.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}")));
        Assert.Equal(0, accepted + exceptions);
        // The pending handshake and the live session are untouched by the noise.
        Assert.Equal(WireGuardAction.WriteToNetwork, pending.A.Decapsulate(PeerPair.EndB, respMsg, buffer).Action);
        var after = live.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 100), buffer);
        Assert.Equal(WireGuardAction.WriteToTunnel, live.B.Decapsulate(PeerPair.EndA, buffer.AsSpan(0, after.Length), scratch).Action);
    }
}
