package io.customerhub.match;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of an organization as matching reads it: its core (the distinctive words, without legal form, punctuation
 * or a leading Chinese city), and the branch it names, if any ({@code 上海分公司}, {@code Chicago Branch}), so that
 * {@code 深圳市腾达电子科技有限公司}, {@code 腾达电子科技股份有限公司} and {@code Acme Widgets, Inc.} / {@code ACME WIDGETS LLC}
 * compare as one name, while a head office and its branches, or two branches, do not.
 *
 * @param core   lower-case words (Latin) or simplified characters (Chinese), legal forms and punctuation removed
 * @param branch the branch the name names (its place and kind, normalized the same way), or null for none
 */
public record OrganizationNames(String core, String branch) {

    /** Legal forms and their parts, Chinese: longest first. */
    private static final List<String> CHINESE_FORMS = List.of("股份有限公司", "有限责任公司", "集团有限公司", "有限公司",
            "集团公司", "总公司", "公司", "集团");
    private static final Set<String> LATIN_FORMS = Set.of("inc", "incorporated", "llc", "ltd", "limited", "co", "company",
            "corp", "corporation", "plc", "gmbh", "ag", "sa", "pty", "llp", "lp", "the");
    private static final List<String> CHINESE_BRANCHES = List.of("分公司", "分店", "支行", "分行", "营业部", "办事处", "分部", "门店");
    private static final Pattern LATIN_BRANCH = Pattern.compile(
            "(?:\\s[-–—]\\s*|\\s*\\(\\s*|,\\s*)([\\p{L}0-9 .]+?)\\s+(branch|office|store|site|location|plant)\\s*\\)?$");
    /** A Chinese province or city written before the name: 深圳市, 广东省. */
    private static final Pattern CHINESE_PLACE = Pattern.compile("^[\\p{IsHan}]{2,3}[省市]");

    /** Reads an organization's name; null for none. */
    public static OrganizationNames of(String name) {
        String normalized = Similarity.normalize(name);
        if (normalized == null) {
            return null;
        }
        String text = Normalizer.normalize(name, Normalizer.Form.NFKC).strip();
        return ChineseNames.isHan(normalized) ? chinese(text) : latin(text);
    }

    /** Whether the two name the same organization unit: both the head office, or the same branch. */
    public boolean sameUnit(OrganizationNames other) {
        return branch == null ? other.branch == null : branch.equals(other.branch);
    }

    private static OrganizationNames chinese(String name) {
        String text = ChineseNames.simplified(name.replaceAll("[\\s()（）·.,，、\\-]", ""));
        String branch = null;
        String word = CHINESE_BRANCHES.stream().filter(text::endsWith).findFirst().orElse(null);
        if (word != null && text.length() > word.length() + 2) {
            // 腾达电子科技有限公司上海分公司: the branch is what follows its head office's legal form
            String before = text.substring(0, text.length() - word.length());
            int at = -1;
            int end = -1;
            for (String form : CHINESE_FORMS) {
                int found = before.lastIndexOf(form);
                if (found > 0 && (found + form.length() > end || found + form.length() == end && found < at)) {
                    at = found;
                    end = found + form.length();
                }
            }
            if (end > 0 && end < before.length()) {
                branch = before.substring(end) + word;
                text = before.substring(0, at);
            } else {
                branch = before.substring(before.length() - 2) + word;
                text = before.substring(0, before.length() - 2);
            }
        } else {
            for (String form : CHINESE_FORMS) {
                if (text.endsWith(form) && text.length() > form.length()) {
                    text = text.substring(0, text.length() - form.length());
                    break;
                }
            }
        }
        Matcher place = CHINESE_PLACE.matcher(text);
        if (place.find() && text.length() - place.end() >= 2) {
            text = text.substring(place.end());
        }
        return new OrganizationNames(text, branch);
    }

    private static OrganizationNames latin(String name) {
        String text = name.toLowerCase(Locale.ROOT);
        String branch = null;
        Matcher matcher = LATIN_BRANCH.matcher(text);
        if (matcher.find() && matcher.start() > 0) {
            branch = words(matcher.group(1)) + " " + matcher.group(2);
            text = text.substring(0, matcher.start());
        }
        String core = String.join(" ", Arrays.stream(words(text.replace("&", " and ")).split(" "))
                .filter(word -> !word.isEmpty() && !LATIN_FORMS.contains(word)).toList());
        return new OrganizationNames(core.isEmpty() ? words(text) : core, branch);
    }

    /** Letters and digits in words separated by one space; other characters dropped. */
    private static String words(String text) {
        return text.replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }
}
