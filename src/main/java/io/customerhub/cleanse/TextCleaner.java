package io.customerhub.cleanse;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The cleaning every value gets before any field-specific rule: full-width ASCII folded to
 * half-width (Chinese input methods produce {@code １３８} and {@code ＡＢＣ}), whitespace trimmed
 * and runs collapsed to one space, control characters (NUL, ESC, ...) and bidirectional overrides
 * (U+202E shows {@code exe.txt} as {@code txt.exe}) removed, and placeholders such as {@code N/A}
 * or {@code 未知} turned into null so later rules see "missing" rather than a bogus value.
 */
public final class TextCleaner {

    private static final Set<String> BUILT_IN_NULL_LIKES = Set.of(
            "", "n/a", "na", "null", "none", "-", "--", "无", "空", "未知", "不详", "(null)", "#n/a");

    private final Set<String> nullLikes;
    private final int longestNullLike;

    public TextCleaner(Set<String> extraNullLikes) {
        Set<String> all = new HashSet<>(BUILT_IN_NULL_LIKES);
        for (String extra : extraNullLikes) {
            all.add(extra.toLowerCase(Locale.ROOT));
        }
        nullLikes = Set.copyOf(all);
        longestNullLike = nullLikes.stream().mapToInt(String::length).max().orElse(0);
    }

    /** The cleaned value, or null when {@code raw} is null, blank or a null-like placeholder. */
    public String clean(String raw) {
        if (raw == null) {
            return null;
        }
        String cleaned = isClean(raw) ? raw : rewrite(raw);
        if (cleaned.length() <= longestNullLike && nullLikes.contains(cleaned.toLowerCase(Locale.ROOT))) {
            return null;
        }
        return cleaned;
    }

    /** True when nothing needs folding or collapsing: the common case, and free of allocation. */
    private static boolean isClean(String raw) {
        int last = raw.length() - 1;
        for (int i = 0; i <= last; i++) {
            char c = raw.charAt(i);
            if (c == ' ') {
                if (i == 0 || i == last || isSpace(raw.charAt(i + 1))) {
                    return false;
                }
            } else if (isSpace(c) || fold(c) != c || isHidden(c)) {
                return false;
            }
        }
        return true;
    }

    private static String rewrite(String raw) {
        char[] out = new char[raw.length()];
        int written = 0;
        boolean pendingSpace = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = fold(raw.charAt(i));
            if (isSpace(c)) {
                pendingSpace = written > 0;
            } else if (!isHidden(c)) {
                if (pendingSpace) {
                    out[written++] = ' ';
                    pendingSpace = false;
                }
                out[written++] = c;
            }
        }
        return new String(out, 0, written);
    }

    /**
     * A character that is no text of a customer's: a control character other than whitespace, a byte-order
     * mark, or a mark that reorders the text around it when shown (bidirectional embeddings, overrides, isolates).
     */
    private static boolean isHidden(char c) {
        return Character.isISOControl(c) && !isSpace(c) || c == '\uFEFF' || c == '\u200E' || c == '\u200F' || c == '\u061C'
                || c >= '\u202A' && c <= '\u202E' || c >= '\u2066' && c <= '\u2069';
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\u3000' || c == '\u00A0' || Character.isWhitespace(c);
    }

    private static char fold(char c) {
        if (c >= '\uFF01' && c <= '\uFF5E') {
            return (char) (c - 0xFEE0);
        }
        return c == '\u3000' ? ' ' : c;
    }
}
