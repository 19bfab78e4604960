package io.customerhub.match;

import java.util.Map;

/**
 * How common a Chinese family name is, so that its agreement weighs what it tells (term-frequency
 * adjustment): two strangers share {@code Wang} about one time in fourteen, a rare name one time in
 * several thousand. Shares are of the population of mainland China (2020 census, rounded), by
 * toneless Hanyu Pinyin, homophones summed ({@code wang} is 王 and 汪), which is what a Latin-script
 * record holds and what characters are read as; a name in characters is looked up by its family
 * reading, so a rare homophone ({@code 章}) is taken to be as common as the common one ({@code 张}),
 * which errs towards less weight. Names not in the table (the rarer Chinese names and non-Chinese
 * names) are unknown: their agreement keeps the field's configured weight.
 */
public final class FamilyNames {

    /** Percent of the population, by pinyin; the 100 or so commonest names, about 87% of people. */
    private static final Map<String, Double> SHARES = Map.ofEntries(
            Map.entry("wang", 7.4), Map.entry("li", 7.3), Map.entry("zhang", 6.8), Map.entry("liu", 5.4),
            Map.entry("chen", 4.6), Map.entry("yang", 3.1), Map.entry("zhao", 2.3), Map.entry("huang", 2.2),
            Map.entry("wu", 1.9), Map.entry("zhou", 1.8), Map.entry("xu", 1.8), Map.entry("sun", 1.3),
            Map.entry("hu", 1.3), Map.entry("zhu", 1.3), Map.entry("lu", 1.3), Map.entry("he", 1.2),
            Map.entry("gao", 1.1), Map.entry("lin", 1.1), Map.entry("guo", 1.0), Map.entry("ma", 1.0),
            Map.entry("yu", 0.9), Map.entry("jiang", 0.9), Map.entry("luo", 0.8), Map.entry("liang", 0.8),
            Map.entry("song", 0.7), Map.entry("zheng", 0.7), Map.entry("tang", 0.7), Map.entry("xie", 0.6),
            Map.entry("han", 0.6), Map.entry("feng", 0.6), Map.entry("cheng", 0.6), Map.entry("fu", 0.6),
            Map.entry("wei", 0.6), Map.entry("yan", 0.6), Map.entry("shi", 0.6), Map.entry("dong", 0.5),
            Map.entry("xiao", 0.5), Map.entry("cao", 0.5), Map.entry("yuan", 0.5), Map.entry("deng", 0.5),
            Map.entry("shen", 0.45), Map.entry("zeng", 0.44), Map.entry("peng", 0.43), Map.entry("su", 0.41),
            Map.entry("cai", 0.38), Map.entry("jia", 0.36), Map.entry("ding", 0.35), Map.entry("zhong", 0.35),
            Map.entry("xue", 0.33), Map.entry("ye", 0.33), Map.entry("pan", 0.31), Map.entry("du", 0.30),
            Map.entry("dai", 0.30), Map.entry("xia", 0.30), Map.entry("fan", 0.30), Map.entry("tan", 0.30),
            Map.entry("jin", 0.30), Map.entry("tian", 0.28), Map.entry("ren", 0.27), Map.entry("fang", 0.26),
            Map.entry("yao", 0.26), Map.entry("qiu", 0.25), Map.entry("liao", 0.24), Map.entry("zou", 0.24),
            Map.entry("xiong", 0.23), Map.entry("hao", 0.22), Map.entry("kong", 0.22), Map.entry("bai", 0.22),
            Map.entry("cui", 0.21), Map.entry("kang", 0.20), Map.entry("mao", 0.20), Map.entry("qin", 0.20),
            Map.entry("gu", 0.20), Map.entry("gong", 0.20), Map.entry("hou", 0.18), Map.entry("shao", 0.18),
            Map.entry("meng", 0.17), Map.entry("long", 0.17), Map.entry("wan", 0.17), Map.entry("duan", 0.17),
            Map.entry("lei", 0.16), Map.entry("qian", 0.16), Map.entry("yin", 0.16), Map.entry("yi", 0.15),
            Map.entry("chang", 0.15), Map.entry("qiao", 0.14), Map.entry("lai", 0.14), Map.entry("wen", 0.14));

    private FamilyNames() {
    }

    /**
     * The share of the population (0 to 1) holding this family name, in characters or in pinyin
     * (normalized as {@link Similarity#normalize} does); 0 when the name is not known to be common.
     */
    public static double share(String normalized) {
        if (normalized == null) {
            return 0;
        }
        String key = ChineseNames.isHan(normalized) ? ChineseNames.pinyin(normalized, true) : normalized.replace(" ", "");
        Double percent = key == null ? null : SHARES.get(key);
        return percent == null ? 0 : percent / 100;
    }
}
