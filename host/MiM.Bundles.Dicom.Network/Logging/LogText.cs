using System.Globalization;
using System.Text;

namespace MiM.Bundles.Dicom.Network.Logging;

/// <summary>
/// Makes a value a peer chose (AE title, UID, error comment, a reason quoting them) safe to put in a log line or a
/// text file: control characters (C0, DEL, C1, line and paragraph separators, bidirectional overrides) are written as
/// <c>\xNN</c> or <c>\uNNNN</c>, so a peer cannot start a forged line or reorder what an operator reads, and the
/// length is capped, so a 64 KB "UID" cannot flood the log. Values we produced ourselves need none of this.
/// </summary>
internal static class LogText
{
    /// <summary>Cap for identifiers (AE titles are 16 characters, UIDs 64).</summary>
    public const int IdentifierLength = 80;

    /// <summary>Cap for free text (reasons, error comments, exception messages).</summary>
    public const int TextLength = 512;

    /// <summary>An identifier from a peer, escaped and capped at <see cref="IdentifierLength"/>.</summary>
    public static string Peer(string? value) => Escape(value, IdentifierLength);

    /// <summary>Free text that may quote a peer, escaped and capped at <see cref="TextLength"/>.</summary>
    public static string Text(string? value) => Escape(value, TextLength);

    /// <summary>Escapes control characters and caps the result near <paramref name="maximumLength"/> characters.</summary>
    public static string Escape(string? value, int maximumLength)
    {
        if (value is null)
        {
            return string.Empty;
        }

        if (value.Length <= maximumLength && !value.AsSpan().ContainsAny(Unsafe))
        {
            return value;
        }

        var text = new StringBuilder(Math.Min(value.Length, maximumLength) + 24);
        var used = 0;
        for (; used < value.Length && text.Length < maximumLength; used++)
        {
            var c = value[used];
            if (IsUnsafe(c))
            {
                text.Append(c <= 0xFF ? string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}") : string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"));
            }
            else
            {
                text.Append(c);
            }
        }

        if (used < value.Length)
        {
            text.Append(CultureInfo.InvariantCulture, $"…(+{value.Length - used} chars)");
        }

        return text.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> Unsafe = System.Buffers.SearchValues.Create(UnsafeCharacters());

    private static bool IsUnsafe(char c) => Unsafe.Contains(c);

    private static string UnsafeCharacters()
    {
        var set = new StringBuilder();
        for (var c = '\0'; c < ' '; c++)
        {
            set.Append(c);
        }

        for (var c = '\x7F'; c <= '\x9F'; c++)
        {
            set.Append(c);
        }

        // Line/paragraph separators end a line for some readers; the bidirectional controls reorder what is shown.
        set.Append("\u2028\u2029\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");
        return set.ToString();
    }
}
