package io.customerhub.cleanse;

import java.util.Set;

/**
 * Splits full names into family and given name and joins them back, for Chinese and Latin-script
 * names, so that a source delivering only {@code 欧阳娜娜} and one delivering family and given
 * name separately can be matched field by field. Also normalizes the case of Latin names that a
 * source shouts or whispers ({@code JOHN SMITH}, {@code o'brien}); mixed case is left alone, it
 * is usually deliberate ({@code McDonald}).
 */
public final class NameSplitter {

    /** The parts of a personal name; either may be null when it cannot be told. */
    public record PersonName(String given, String family) {
    }

    private static final Set<String> COMPOUND_SURNAMES = Set.of(
            "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
            "令狐", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "万俟", "闻人", "澹台", "公冶", "宗政",
            "濮阳", "淳于", "单于", "太叔", "申屠", "仲孙", "钟离", "赫连", "呼延", "东郭", "百里", "司空",
            "司寇", "拓跋", "第五", "梁丘", "左丘", "东门", "谷梁", "段干", "巫马", "公西", "漆雕", "乐正",
            "壤驷", "公良", "亓官", "羊舌", "微生", "公羊", "鲜于", "闾丘", "子车", "颛孙",
            "歐陽", "司馬", "諸葛", "東方", "尉遲", "公孫", "長孫", "軒轅", "獨孤", "南宮", "西門", "鍾離",
            "鐘離", "萬俟", "聞人", "濮陽", "單于", "仲孫", "赫連", "東郭", "東門", "穀梁", "巫馬", "樂正",
            "壤駟", "鮮于", "閭丘", "子車", "顓孫");

    /** True when the name is written in Chinese characters, which are not separated by spaces. */
    public boolean isCjk(String name) {
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }

    /**
     * A cleaned name in canonical form: Chinese names without spaces ({@code 张 三} is
     * {@code 张三}), Latin names in title case when they were all upper- or all lower-case.
     */
    public String normalize(String name) {
        if (isCjk(name)) {
            return name.indexOf(' ') < 0 ? name : name.replace(" ", "");
        }
        return titleCase(name);
    }

    /** The full name from its parts: Chinese family name first without a space, else given first. */
    public String join(String given, String family) {
        if (given == null || family == null) {
            return given != null ? given : family;
        }
        return isCjk(family) || isCjk(given) ? family + given : given + " " + family;
    }

    /**
     * Splits a normalized full name. Chinese: a known compound surname, in simplified or
     * traditional characters ({@code 欧阳娜娜}, {@code 歐陽娜娜}), or else the first character is the
     * family name. Latin: {@code Family, Given} or {@code Given [Middle] Family}
     * (middle names stay with the given name). A single Latin word, or a transliterated name with a
     * middle dot ({@code 阿依古丽·买买提}), is not split.
     */
    public PersonName split(String fullName) {
        if (fullName.indexOf('·') >= 0 || fullName.indexOf('•') >= 0) {
            return new PersonName(null, null);
        }
        if (isCjk(fullName)) {
            if (fullName.length() < 2) {
                return new PersonName(null, null);
            }
            int familyLength = fullName.length() > 2 && COMPOUND_SURNAMES.contains(fullName.substring(0, 2)) ? 2 : 1;
            return new PersonName(fullName.substring(familyLength), fullName.substring(0, familyLength));
        }
        int comma = fullName.indexOf(',');
        if (comma > 0 && comma < fullName.length() - 1) {
            return new PersonName(fullName.substring(comma + 1).trim(), fullName.substring(0, comma).trim());
        }
        int lastSpace = fullName.lastIndexOf(' ');
        if (lastSpace < 0) {
            return new PersonName(null, null);
        }
        return new PersonName(fullName.substring(0, lastSpace), fullName.substring(lastSpace + 1));
    }

    private static String titleCase(String name) {
        boolean hasUpper = false;
        boolean hasLower = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            hasUpper |= Character.isUpperCase(c);
            hasLower |= Character.isLowerCase(c);
        }
        if (hasUpper == hasLower) {
            return name;
        }
        char[] out = new char[name.length()];
        boolean wordStart = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            out[i] = wordStart ? Character.toUpperCase(c) : Character.toLowerCase(c);
            wordStart = !Character.isLetter(c);
        }
        return new String(out);
    }
}
