package io.customerhub.match;

import io.customerhub.cleanse.ChineseRegions;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of an organization as matching reads it: its core (the distinctive words, without legal form, punctuation,
 * a place in parentheses or the city it is registered in), and the branch it names, if any, as its place alone
 * ({@code 上海分公司} and {@code 上海分店} are {@code 上海}; {@code - Chicago Branch}, {@code (Chicago office)} and
 * {@code CHICAGO BRANCH} are {@code chicago}; a store number {@code #0012} or {@code Store 12} is {@code 12}). So
 * {@code 深圳市腾达电子科技有限公司}, {@code 腾达电子科技(深圳)股份有限公司} and {@code Acme Widgets, Inc.} /
 * {@code ACME WIDGETS LLC} compare as one name each, while a head office and its branches, or two branches, do not.
 *
 * @param core   lower-case words (Latin) or simplified characters (Chinese), legal forms and punctuation removed
 * @param branch the place of the branch the name names, or null for a head office (or a name that names none)
 */
public record OrganizationNames(String core, String branch) {

    /** Legal forms and their parts, Chinese: longest first. */
    private static final List<String> CHINESE_FORMS = List.of("股份有限公司", "有限责任公司", "集团有限公司", "有限公司",
            "集团公司", "总公司", "公司", "集团");
    private static final Set<String> LATIN_FORMS = Set.of("inc", "incorporated", "llc", "ltd", "limited", "co", "company",
            "corp", "corporation", "plc", "gmbh", "ag", "sa", "pty", "llp", "lp", "the");
    /** What names a Chinese branch, longest first: stripped from the branch, its place remains. */
    private static final List<String> CHINESE_BRANCHES = List.of("分公司", "营业部", "办事处", "分店", "支行", "分行", "分部",
            "门店", "店");
    private static final Set<String> LATIN_BRANCHES = Set.of("branch", "office", "store", "site", "location", "plant", "outlet");
    private static final Pattern STORE_NUMBER = Pattern.compile("(?:#|\\bno\\.?\\s*|\\bstore\\s+|\\bunit\\s+)0*(\\d+)\\s*$");
    private static final Pattern LATIN_SUFFIX = Pattern.compile("(?:\\s[-–—]\\s*|\\s*\\(\\s*)([\\p{L}0-9 .'&]+?)\\s*\\)?$");
    private static final Pattern PARENTHESES = Pattern.compile("[(（]([^)）]*)[)）]");
    private static final ChineseRegions REGIONS = new ChineseRegions();
    /** Characters a Chinese name's core keeps at least when a place is taken off its start. */
    private static final int MIN_CORE = 4;
    /** Legal forms after which a Latin name's words name a branch ({@code ACME WIDGETS INC CHICAGO}). */
    private static final Set<String> TRAILING_FORMS = Set.of("inc", "incorporated", "llc", "ltd", "limited", "corp",
            "corporation", "plc", "gmbh", "llp", "lp", "pty");

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
        String text = ChineseNames.simplified(name.replaceAll("\\s", ""));
        String branch = null;
        // a place in parentheses qualifies the name (腾达(深圳)有限公司), unless it names a branch ((宝安二店))
        Matcher parentheses = PARENTHESES.matcher(text);
        StringBuilder rest = new StringBuilder();
        while (parentheses.find()) {
            String inside = parentheses.group(1);
            if (branchWord(inside) != null) {
                branch = inside;
            }
            parentheses.appendReplacement(rest, "");
        }
        parentheses.appendTail(rest);
        text = rest.toString().replaceAll("[·.,，、\\-]", "");
        if (branch == null && branchWord(text) != null) {
            // 腾达电子科技有限公司上海分公司: the branch follows its head office's legal form
            int end = -1;
            int at = -1;
            for (String form : CHINESE_FORMS) {
                int found = text.lastIndexOf(form);
                if (found > 0 && found + form.length() < text.length()
                        && (found + form.length() > end || found + form.length() == end && found < at)) {
                    at = found;
                    end = found + form.length();
                }
            }
            int cut = end > 0 ? end : Math.max(2, text.length() - branchWord(text).length() - 2);
            if (cut < text.length() - branchWord(text).length()) {
                branch = text.substring(cut);
                text = text.substring(0, at > 0 ? at : cut);
            }
        }
        for (String form : CHINESE_FORMS) {
            if (text.endsWith(form) && text.length() > form.length()) {
                text = text.substring(0, text.length() - form.length());
                break;
            }
        }
        // the province and city it is registered in, written before the name or not (广东省深圳市腾达, 北京华国), where
        // enough of a name is left (海南航空 keeps its province)
        ChineseRegions.Place province = REGIONS.provinceAt(text);
        if (province != null && text.length() - province.length() >= MIN_CORE) {
            text = text.substring(province.length());
        }
        ChineseRegions.Place city = REGIONS.cityAt(text);
        if (city != null && text.length() - city.length() >= MIN_CORE) {
            text = text.substring(city.length());
        }
        return new OrganizationNames(text, branch == null ? null : branchPlace(branch));
    }

    /** The branch word {@code text} ends with, or null. */
    private static String branchWord(String text) {
        return CHINESE_BRANCHES.stream().filter(text::endsWith).findFirst().orElse(null);
    }

    /** A Chinese branch by its place: the branch words and a 分 before them left out. */
    private static String branchPlace(String branch) {
        String place = branch;
        String word;
        while ((word = branchWord(place)) != null && place.length() > word.length()) {
            place = place.substring(0, place.length() - word.length());
        }
        return place.endsWith("分") && place.length() > 1 ? place.substring(0, place.length() - 1) : place;
    }

    private static OrganizationNames latin(String name) {
        String text = name.toLowerCase(Locale.ROOT).strip();
        String branch = null;
        Matcher store = STORE_NUMBER.matcher(text);
        if (store.find() && store.start() > 0) {
            branch = store.group(1);
            text = text.substring(0, store.start());
        } else {
            Matcher suffix = LATIN_SUFFIX.matcher(text);
            if (suffix.find() && suffix.start() > 0 && !allForms(suffix.group(1))) {
                branch = place(suffix.group(1));
                text = text.substring(0, suffix.start());
            }
        }
        List<String> words = new ArrayList<>(Arrays.asList(words(text.replace("&", " and ")).split(" ")));
        int form = words.size() - 2;
        while (form > 0 && !TRAILING_FORMS.contains(words.get(form))) {
            form--;
        }
        if (branch == null && form > 0 && !TRAILING_FORMS.contains(words.get(words.size() - 1))) {
            // ACME WIDGETS INC CHICAGO (BRANCH): the words after the legal form name the branch
            branch = place(String.join(" ", words.subList(form + 1, words.size())));
            words = new ArrayList<>(words.subList(0, form + 1));
        } else if (branch == null && words.size() > 2 && LATIN_BRANCHES.contains(words.get(words.size() - 1))) {
            // ACME WIDGETS, CHICAGO BRANCH: the word before the branch word names the place
            branch = words.get(words.size() - 2);
            words = new ArrayList<>(words.subList(0, words.size() - 2));
        }
        String core = String.join(" ", words.stream().filter(word -> !word.isEmpty() && !LATIN_FORMS.contains(word)).toList());
        return new OrganizationNames(core.isEmpty() ? words(text) : core, branch == null || branch.isEmpty() ? null : branch);
    }

    /** A Latin branch by its place: its words without the branch words ({@code chicago branch} is {@code chicago}). */
    private static String place(String branch) {
        return String.join(" ", Arrays.stream(words(branch).split(" ")).filter(word -> !LATIN_BRANCHES.contains(word)).toList());
    }

    private static boolean allForms(String text) {
        return Arrays.stream(words(text).split(" ")).allMatch(LATIN_FORMS::contains);
    }

    /** Letters and digits in words separated by one space; other characters dropped. */
    private static String words(String text) {
        return text.replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }
}
