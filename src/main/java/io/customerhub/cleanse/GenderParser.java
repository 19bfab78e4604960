package io.customerhub.cleanse;

import io.customerhub.record.Gender;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the gender codes sources use: English words and letters, Chinese words and forms of
 * address, and the GB/T 2261.1 digits (1 male, 2 female, 0 and 9 unknown).
 */
public final class GenderParser {

    private static final Map<String, Gender> CODES = Map.ofEntries(
            Map.entry("m", Gender.M), Map.entry("male", Gender.M), Map.entry("man", Gender.M),
            Map.entry("男", Gender.M), Map.entry("男性", Gender.M), Map.entry("先生", Gender.M), Map.entry("1", Gender.M),
            Map.entry("f", Gender.F), Map.entry("female", Gender.F), Map.entry("woman", Gender.F),
            Map.entry("女", Gender.F), Map.entry("女性", Gender.F), Map.entry("女士", Gender.F), Map.entry("2", Gender.F),
            Map.entry("u", Gender.U), Map.entry("unknown", Gender.U), Map.entry("未知", Gender.U),
            Map.entry("0", Gender.U), Map.entry("9", Gender.U));

    private static final int LONGEST_CODE = CODES.keySet().stream().mapToInt(String::length).max().orElseThrow();

    /** The gender a cleaned code stands for, or null when the code is not one this parser knows. */
    public Gender parse(String cleaned) {
        Gender gender = CODES.get(cleaned);
        return gender != null ? gender : cleaned.length() > LONGEST_CODE ? null : CODES.get(cleaned.toLowerCase(Locale.ROOT));
    }
}
