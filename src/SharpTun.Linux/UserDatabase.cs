using System.Globalization;

namespace SharpTun.Linux;

/// <summary>Resolves user and group names through <c>/etc/passwd</c> and <c>/etc/group</c> (numeric ids pass through).</summary>
public static class UserDatabase
{
    /// <summary>The uid for a user name or number; throws <see cref="ArgumentException"/> naming the user if unknown.</summary>
    public static int ResolveUser(string user) => Resolve(user, "/etc/passwd", "user");

    /// <summary>The gid for a group name or number; throws <see cref="ArgumentException"/> naming the group if unknown.</summary>
    public static int ResolveGroup(string group) => Resolve(group, "/etc/group", "group");

    /// <summary>
    /// The uid and primary gid of a user name or number from <c>/etc/passwd</c>; a number that has no
    /// entry there gets the gid of the same number. Throws <see cref="ArgumentException"/> naming the user if unknown.
    /// </summary>
    public static (int Uid, int Gid) ResolveAccount(string user)
    {
        var uid = ResolveUser(user);
        if (File.Exists("/etc/passwd"))
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var fields = line.Split(':');
                if (fields.Length >= 4 && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var u) && u == uid &&
                    int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
                {
                    return (uid, gid);
                }
            }
        }
        return (uid, uid);
    }

    private static int Resolve(string value, string file, string what)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return id;
        }
        if (File.Exists(file))
        {
            foreach (var line in File.ReadLines(file))
            {
                var fields = line.Split(':');
                if (fields.Length >= 3 && fields[0] == value &&
                    int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out id))
                {
                    return id;
                }
            }
        }
        throw new ArgumentException($"unknown {what} '{value}': not a number and not found in {file}");
    }

    /// <summary>The user name of <paramref name="uid"/> in /etc/passwd, or null (as getpwuid, files only).</summary>
    public static string? UserName(uint uid) => NameOf(uid, "/etc/passwd");

    /// <summary>The group name of <paramref name="gid"/> in /etc/group, or null (as getgrgid, files only).</summary>
    public static string? GroupName(uint gid) => NameOf(gid, "/etc/group");

    private static string? NameOf(uint id, string file)
    {
        if (!File.Exists(file))
        {
            return null;
        }
        var text = id.ToString(CultureInfo.InvariantCulture);
        foreach (var line in File.ReadLines(file))
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[2] == text)
            {
                return fields[0];
            }
        }
        return null;
    }
}
