package io.customerhub.record;

import java.util.Locale;
import java.util.Set;

/**
 * The words a source's deletion flag is read in ({@code is_deleted = 1}, {@code deleted = true},
 * {@code removed = x}), compared trimmed and case-insensitively: one vocabulary for the field mapping,
 * which turns a yes into {@code deleted: true} and drops a no, and for cleansing, which rejects any
 * other word rather than guess whether the customer is gone.
 */
public final class DeletionFlag {

    /** Values that say the record is deleted. */
    public static final Set<String> YES = Set.of("true", "1", "y", "yes", "t", "x", "deleted");
    /** Values that say it is not. */
    public static final Set<String> NO = Set.of("false", "0", "n", "no", "f");

    private DeletionFlag() {
    }

    public static boolean isYes(String value) {
        return value != null && YES.contains(value.strip().toLowerCase(Locale.ROOT));
    }

    public static boolean isNo(String value) {
        return value != null && NO.contains(value.strip().toLowerCase(Locale.ROOT));
    }
}
