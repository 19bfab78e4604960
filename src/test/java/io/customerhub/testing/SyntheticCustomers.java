package io.customerhub.testing;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * A CRM export of distinct made-up people (the columns of the demo crm source), varied like real
 * data: names drawn from syllables, birth dates over sixty years, unique phones and e-mails, so
 * that matching finds few candidates and no false duplicates. Seeded: the same rows every time.
 */
public final class SyntheticCustomers {

    public static final String HEADER = "客户编号,姓名,性别,出生日期,手机,电话,邮箱,省份,城市,区县,地址,邮编,公司,身份证号,更新时间";

    static final String[] SYLLABLES = {"an", "bo", "chen", "da", "fei", "gang", "hui", "jia", "kai", "lin",
            "ming", "na", "ping", "qiang", "rui", "shan", "tao", "wei", "xin", "yan", "zhi", "hao", "lei", "mei",
            "qing", "song", "ting", "yu", "zhen", "jun"};
    static final String[] PROVINCES = {"广东", "浙江省", "上海", "四川", "北京市", "江苏"};
    static final String[] CITIES = {"广州", "杭州市", "上海市", "成都", "北京", "南京"};
    static final int[] MOBILE_PREFIXES = {130, 131, 132, 135, 136, 137, 138, 139, 150, 151, 152, 158, 186, 188, 189};

    private SyntheticCustomers() {
    }

    /** Writes {@code rows} people to {@code file} (UTF-8, LF). */
    public static void write(Path file, int rows) throws IOException {
        Random random = new Random(20261126);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.write('\n');
            for (int i = 0; i < rows; i++) {
                String given = capital(syllable(random)) + syllable(random);
                String family = capital(syllable(random)) + syllable(random);
                int place = random.nextInt(PROVINCES.length);
                out.write(String.format(Locale.ROOT,
                        "K%d,%s %s,%s,%d%02d%02d,%d %04d %04d,,%s.%s.%d@example.com,%s,%s,,\"路 %d 号, %d 栋\",51%04d,,,2026-11-20 09:15:00%n",
                        i, given, family, random.nextBoolean() ? "男" : "F",
                        1940 + random.nextInt(60), 1 + random.nextInt(12), 1 + random.nextInt(28),
                        MOBILE_PREFIXES[i % MOBILE_PREFIXES.length], (i / 10000) % 10000, i % 10000,
                        given.toLowerCase(Locale.ROOT), family.toLowerCase(Locale.ROOT), i,
                        PROVINCES[place], CITIES[place], 1 + random.nextInt(999), 1 + random.nextInt(30),
                        random.nextInt(10000)));
            }
        }
    }

    private static String syllable(Random random) {
        return SYLLABLES[random.nextInt(SYLLABLES.length)];
    }

    static String capital(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
