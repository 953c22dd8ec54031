using SharpTun.Linux.Tun;
using SharpTun.Netlink;

namespace SharpTun.Linux.Tests;

public sealed class InterfaceNameTests
{
    [Theory]
    [InlineData("", "empty")]
    [InlineData("abcdefghijklmnop", "16 bytes long")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "26 bytes long")]
    [InlineData("a/b", "'/'")]
    [InlineData("tun:0", "':'")]
    [InlineData("tun 0", "whitespace")]
    [InlineData("tun\t0", "whitespace")]
    [InlineData(" tun0", "whitespace")]
    [InlineData("tun0\n", "whitespace")]
    [InlineData("tu\0n0", "NUL")]
    [InlineData(".", "not allowed")]
    [InlineData("..", "not allowed")]
    [InlineData("tunnel€€€€", "18 bytes long")]
    [InlineData("tün0", "non-ASCII")]
    [InlineData("tun%s", "%d")]
    [InlineData("t%d%d", "%d")]
    public void Invalid_names_are_rejected_with_the_reason(string name, string reason)
    {
        var why = InterfaceName.Check(name);
        Assert.NotNull(why);
        Assert.Contains(reason, why);
        var e = Assert.Throws<ArgumentException>(() => InterfaceName.Validate(name, "tun device"));
        Assert.StartsWith("invalid tun device name '", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Null_is_rejected_as_empty()
    {
        Assert.Equal("the name is empty", InterfaceName.Check(null));
    }

    [Theory]
    [InlineData("tun0")]
    [InlineData("t")]
    [InlineData("abcdefghijklmno")]
    [InlineData("tun%d")]
    [InlineData("vpn-gw_1.x")]
    [InlineData("...")]
    public void Valid_names_pass(string name) => Assert.Null(InterfaceName.Check(name));

    [Fact]
    public void Control_characters_are_escaped_in_messages()
    {
        var e = Assert.Throws<ArgumentException>(() => InterfaceName.Validate("a\0b"));
        Assert.Contains("'a\\0b'", e.Message);
    }

    [Fact]
    public void Open_checks_the_name_before_any_system_call()
    {
        // The clone device path does not exist: if the name were not checked first this would be a TunException.
        var e = Assert.Throws<ArgumentException>(() => TunDevice.Open(new TunOptions
        {
            Name = "this-name-is-too-long",
            CloneDevice = "/nonexistent/tun",
        }));
        Assert.Contains("at most 15 bytes", e.Message);
    }

    [Fact]
    public void Missing_clone_device_gives_a_clear_message()
    {
        var e = Assert.Throws<TunException>(() => TunDevice.Open(new TunOptions { Name = "tun0", CloneDevice = "/nonexistent/tun" }));
        Assert.Contains("cannot open tun device 'tun0'", e.Message);
        Assert.Contains("there is no /nonexistent/tun", e.Message);
        Assert.Contains("modprobe tun", e.Message);
    }
}
