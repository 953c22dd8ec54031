using System.Text.RegularExpressions;

namespace SharpTun.Cli;

/// <summary>
/// Rewrites .NET's own wording in messages that reach the user into the words Linux tools use
/// ("No such file or directory", "Permission denied", "File name too long"), wherever it appears in
/// the text (it is often nested: "cannot write pcap file 'x': Could not find a part of the path …").
/// </summary>
internal static partial class UserText
{
    /// <summary>The message of <paramref name="e"/> in Linux wording.</summary>
    internal static string Clean(Exception e) => Clean(e.Message);

    internal static string Clean(string message)
    {
        message = NotFound().Replace(message, m => $"'{m.Groups[1].Value}': no such file or directory");
        message = Denied().Replace(message, m => Directory.Exists(m.Groups[1].Value)
            ? $"'{m.Groups[1].Value}': is a directory"
            : $"'{m.Groups[1].Value}': permission denied");
        message = TooLong().Replace(message, m => $"'{m.Groups[1].Value}': file name too long");
        message = message.Replace("'': ", "", StringComparison.Ordinal);
        message = ClrType().Replace(message, m => TypeWords(m.Groups[1].Value));
        // "…: 'x': no such file …" after "cannot open 'x'" would name the file twice.
        message = Twice().Replace(message, "$1");
        return message.TrimEnd('.');
    }

    /// <summary>What a value of a CLR type is, in words (for "expected …").</summary>
    internal static string TypeWords(string clrType) => clrType switch
    {
        "Int32" or "Int64" or "Int16" or "UInt32" or "UInt64" or "UInt16" or "Byte" => "expected a whole number",
        "Double" or "Single" or "Decimal" => "expected a number",
        "Boolean" => "expected true or false",
        "TimeSpan" => "expected a duration",
        _ => "expected a valid value",
    };

    [GeneratedRegex(@"(?:Could not find a part of the path|Could not find file) '([^']*)'\.?")]
    private static partial Regex NotFound();

    [GeneratedRegex(@"Access to the path '([^']*)' is denied\.?")]
    private static partial Regex Denied();

    [GeneratedRegex(@"The path '([^']*)' is too long, or a component of the specified path is too long\.?")]
    private static partial Regex TooLong();

    [GeneratedRegex(@"expected type 'System\.([A-Za-z0-9]+)'")]
    private static partial Regex ClrType();

    [GeneratedRegex(@"('([^']*)'): '\2'")]
    private static partial Regex Twice();
}
