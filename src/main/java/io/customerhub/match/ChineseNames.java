package io.customerhub.match;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.sourceforge.pinyin4j.PinyinHelper;
import net.sourceforge.pinyin4j.format.HanyuPinyinCaseType;
import net.sourceforge.pinyin4j.format.HanyuPinyinOutputFormat;
import net.sourceforge.pinyin4j.format.HanyuPinyinToneType;
import net.sourceforge.pinyin4j.format.HanyuPinyinVCharType;
import net.sourceforge.pinyin4j.format.exception.BadHanyuPinyinOutputFormatCombination;

/**
 * Names written in Chinese characters, made comparable across the two character sets and with
 * their romanization: {@link #simplified} turns traditional characters into simplified ones
 * ({@code 張偉} is {@code 张伟}), {@link #readings} gives the toneless Hanyu Pinyin a Latin-script
 * source would write ({@code 张伟} is {@code zhangwei}).
 *
 * <p>A character may have several readings; a family name is read as a family name first
 * ({@code 单} is {@code shan}, {@code 曾} is {@code zeng}, {@code 尉迟} is {@code yuchi}), then every
 * other reading follows, so a comparison can try them all. The letter ü is written {@code u} first
 * (as {@code Lü} loses its accent), then {@code v} and {@code yu} (passports write {@code LV} or
 * {@code LYU}). Characters that are not Chinese pass through lower-cased. Pinyin cannot tell
 * homophones apart ({@code 张} and {@code 章} are both {@code zhang}): it is what a Latin-script
 * record holds, not proof that the characters agree. Thread-safe.
 */
public final class ChineseNames {

    /** Readings tried per name at most: a four-character name of polyphonic characters stays cheap. */
    static final int MAX_READINGS = 16;

    private static final Map<String, String> FAMILY_READINGS = Map.ofEntries(
            Map.entry("单", "shan"), Map.entry("曾", "zeng"), Map.entry("解", "xie"), Map.entry("仇", "qiu"),
            Map.entry("朴", "piao"), Map.entry("区", "ou"), Map.entry("查", "zha"), Map.entry("乐", "yue"),
            Map.entry("覃", "qin"), Map.entry("翟", "zhai"), Map.entry("盖", "ge"), Map.entry("缪", "miao"),
            Map.entry("员", "yun"), Map.entry("尉", "wei"), Map.entry("句", "gou"), Map.entry("秘", "bi"),
            Map.entry("繁", "po"), Map.entry("种", "chong"), Map.entry("折", "she"), Map.entry("召", "shao"),
            Map.entry("隗", "wei"), Map.entry("瞿", "qu"), Map.entry("沈", "shen"), Map.entry("华", "hua"),
            Map.entry("任", "ren"), Map.entry("纪", "ji"), Map.entry("莘", "shen"), Map.entry("柏", "bai"),
            Map.entry("薄", "bo"), Map.entry("重", "chong"), Map.entry("长", "chang"), Map.entry("黑", "he"),
            Map.entry("乜", "nie"), Map.entry("祭", "zhai"), Map.entry("车", "che"), Map.entry("贾", "jia"),
            Map.entry("藏", "zang"), Map.entry("宿", "su"), Map.entry("曲", "qu"), Map.entry("石", "shi"),
            Map.entry("都", "du"), Map.entry("叶", "ye"), Map.entry("阚", "kan"), Map.entry("逄", "pang"),
            Map.entry("尉迟", "yuchi"), Map.entry("万俟", "moqi"), Map.entry("单于", "chanyu"),
            Map.entry("长孙", "zhangsun"), Map.entry("澹台", "tantai"), Map.entry("令狐", "linghu"),
            Map.entry("宇文", "yuwen"), Map.entry("乐正", "yuezheng"));

    private static final Map<Integer, Integer> SIMPLIFIED = loadSimplified();
    private static final HanyuPinyinOutputFormat FORMAT = format();
    private static final Map<Integer, List<String>> READINGS = new ConcurrentHashMap<>();

    /** Every toneless syllable a Chinese character is read as ({@code zhang}, {@code lu}, {@code lv}, {@code lyu}). */
    private static final Set<String> SYLLABLES = syllables();
    private static final int LONGEST_SYLLABLE = 6;

    private ChineseNames() {
    }

    /**
     * True when a Latin-script name (normalized: lower case, spaces allowed) is a run of pinyin
     * syllables, as a romanized Chinese name is ({@code zhang}, {@code xiao ming}, {@code ouyang});
     * some Western names are too ({@code anna}), which only makes their blocking keys exact.
     */
    public static boolean isPinyin(String latin) {
        String word = latin.replace(" ", "");
        if (word.isEmpty()) {
            return false;
        }
        boolean[] splits = new boolean[word.length() + 1];
        splits[0] = true;
        for (int end = 1; end <= word.length(); end++) {
            for (int start = Math.max(0, end - LONGEST_SYLLABLE); start < end && !splits[end]; start++) {
                splits[end] = splits[start] && SYLLABLES.contains(word.substring(start, end));
            }
        }
        return splits[word.length()];
    }

    /** True when the value holds a Chinese character. */
    public static boolean isHan(String value) {
        return value.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
    }

    /** The value with every traditional character replaced by its simplified form. */
    public static String simplified(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(cp -> out.appendCodePoint(SIMPLIFIED.getOrDefault(cp, cp)));
        return out.toString();
    }

    /**
     * The toneless pinyin readings of a name, syllables joined without spaces, the most likely
     * first and at most {@value #MAX_READINGS}; spaces in the name are dropped. Empty for an
     * empty name.
     */
    public static List<String> readings(String name, boolean family) {
        String simple = simplified(name.replace(" ", ""));
        List<StringBuilder> readings = new ArrayList<>(List.of(new StringBuilder(simple.length() * 3)));
        int i = 0;
        while (i < simple.length()) {
            List<String> syllables;
            int length;
            String compound = family && i == 0 && simple.length() >= 2 ? FAMILY_READINGS.get(simple.substring(0, 2)) : null;
            if (compound != null) {
                syllables = List.of(compound);
                length = 2;
            } else {
                int cp = simple.codePointAt(i);
                length = Character.charCount(cp);
                syllables = syllables(cp, family && i == 0 ? FAMILY_READINGS.get(simple.substring(0, length)) : null);
            }
            readings = next(readings, syllables);
            i += length;
        }
        return readings.size() == 1 && readings.get(0).isEmpty() ? List.of()
                : readings.stream().map(StringBuilder::toString).toList();
    }

    /**
     * Every reading followed by the character's first syllable and, while fewer than {@value #MAX_READINGS} readings
     * are held, by its other syllables too. A reading is copied only when a new one is kept, at most
     * {@value #MAX_READINGS} times per name, so the work stays linear in the name's length however long it is.
     */
    private static List<StringBuilder> next(List<StringBuilder> readings, List<String> syllables) {
        if (syllables.size() == 1) {
            readings.forEach(reading -> reading.append(syllables.get(0)));
            return readings;
        }
        int room = MAX_READINGS - readings.size();
        List<StringBuilder> next = new ArrayList<>(Math.min(MAX_READINGS, readings.size() * syllables.size()));
        for (StringBuilder reading : readings) {
            List<StringBuilder> others = new ArrayList<>();
            for (int s = 1; s < syllables.size() && room > 0; s++, room--) {
                others.add(new StringBuilder(reading).append(syllables.get(s)));
            }
            next.add(reading.append(syllables.get(0)));
            next.addAll(others);
        }
        return next;
    }

    /** The most likely reading: what a Latin-script record of this name most likely holds. */
    public static String pinyin(String name, boolean family) {
        List<String> readings = readings(name, family);
        return readings.isEmpty() ? null : readings.get(0);
    }

    private static List<String> syllables(int cp, String familyReading) {
        if (Character.UnicodeScript.of(cp) != Character.UnicodeScript.HAN) {
            return List.of(new String(Character.toChars(Character.toLowerCase(cp))));
        }
        List<String> all = READINGS.computeIfAbsent(cp, ChineseNames::lookUp);
        if (familyReading == null) {
            return all;
        }
        Set<String> ordered = new LinkedHashSet<>();
        ordered.add(familyReading);
        ordered.addAll(all);
        return List.copyOf(ordered);
    }

    private static List<String> lookUp(int cp) {
        Set<String> readings = new LinkedHashSet<>();
        if (Character.isBmpCodePoint(cp)) {
            try {
                String[] found = PinyinHelper.toHanyuPinyinStringArray((char) cp, FORMAT);
                if (found != null) {
                    for (String reading : found) {
                        if (reading.indexOf('v') >= 0) {
                            readings.add(reading.replace('v', 'u'));
                            readings.add(reading);
                            readings.add(reading.replace("v", "yu"));
                        } else {
                            readings.add(reading);
                        }
                    }
                }
            } catch (BadHanyuPinyinOutputFormatCombination e) {
                throw new IllegalStateException(e);
            }
        }
        // a character without a known reading stands for itself, so names still compare by character
        return readings.isEmpty() ? List.of(new String(Character.toChars(cp))) : List.copyOf(readings);
    }

    private static Set<String> syllables() {
        Set<String> syllables = new java.util.HashSet<>();
        for (char c = '\u4e00'; c <= '\u9fa5'; c++) {
            try {
                String[] found = PinyinHelper.toHanyuPinyinStringArray(c, FORMAT);
                if (found != null) {
                    for (String reading : found) {
                        if (!reading.matches(".*[aeiouv].*")) {
                            continue; // interjections (m, ng, hm) would let almost any spelling pass for pinyin
                        }
                        syllables.add(reading);
                        syllables.add(reading.replace('v', 'u'));
                        syllables.add(reading.replace("v", "yu"));
                    }
                }
            } catch (BadHanyuPinyinOutputFormatCombination e) {
                throw new IllegalStateException(e);
            }
        }
        return Set.copyOf(syllables);
    }

    private static HanyuPinyinOutputFormat format() {
        HanyuPinyinOutputFormat format = new HanyuPinyinOutputFormat();
        format.setToneType(HanyuPinyinToneType.WITHOUT_TONE);
        format.setCaseType(HanyuPinyinCaseType.LOWERCASE);
        format.setVCharType(HanyuPinyinVCharType.WITH_V);
        return format;
    }

    private static Map<Integer, Integer> loadSimplified() {
        Map<Integer, Integer> map = new HashMap<>(8192);
        try (InputStream in = ChineseNames.class.getResourceAsStream("traditional-simplified.txt")) {
            if (in == null) {
                throw new IllegalStateException("traditional-simplified.txt is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int tab = line.indexOf('\t');
                if (!line.startsWith("#") && tab > 0) {
                    map.put(line.codePointAt(0), line.codePointAt(tab + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(map);
    }
}
