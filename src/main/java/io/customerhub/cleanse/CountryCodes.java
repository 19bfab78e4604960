package io.customerhub.cleanse;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Maps what sources write for a country to its ISO 3166-1 alpha-2 code: alpha-2 and alpha-3
 * codes, English and Chinese names as the JDK's locale data spells them, and common aliases the
 * locale data lacks ({@code PRC}, {@code USA}, {@code UK}, {@code 中华人民共和国}).
 */
public final class CountryCodes {

    private static final Map<String, String> BY_NAME = build();

    /** The alpha-2 code for {@code cleaned}, or null when it names no country this table knows. */
    public String alpha2(String cleaned) {
        return BY_NAME.get(key(cleaned));
    }

    private static Map<String, String> build() {
        Map<String, String> names = new HashMap<>();
        for (String code : Locale.getISOCountries()) {
            Locale country = new Locale("", code);
            names.put(key(code), code);
            names.put(key(country.getISO3Country()), code);
            names.put(key(country.getDisplayCountry(Locale.ENGLISH)), code);
            names.put(key(country.getDisplayCountry(Locale.SIMPLIFIED_CHINESE)), code);
            names.put(key(country.getDisplayCountry(Locale.TRADITIONAL_CHINESE)), code);
        }
        String[][] aliases = {
                {"CN", "PRC", "P.R.C.", "P.R. China", "PR China", "People's Republic of China", "Mainland China",
                        "China Mainland", "中华人民共和国", "中華人民共和國", "中國", "中国大陆", "大陆", "Zhongguo"},
                {"US", "USA", "U.S.A.", "U.S.", "United States of America", "America", "美国"},
                {"GB", "UK", "U.K.", "Great Britain", "Britain", "England", "Scotland", "Wales", "英国"},
                {"HK", "Hong Kong", "Hongkong", "Hong Kong SAR", "香港", "中国香港"},
                {"MO", "Macau", "Macao", "Macao SAR", "澳门", "中国澳门"},
                {"TW", "Taiwan", "台湾", "中国台湾"},
                {"KR", "Korea", "South Korea", "Republic of Korea", "韩国"},
                {"RU", "Russia", "Russian Federation", "俄罗斯"},
                {"VN", "Vietnam", "Viet Nam"},
                {"AE", "UAE"},
                {"NL", "Holland"},
                {"CZ", "Czech Republic"},
                {"TR", "Turkey"},
        };
        for (String[] row : aliases) {
            for (int i = 1; i < row.length; i++) {
                names.put(key(row[i]), row[0]);
            }
        }
        return Map.copyOf(names);
    }

    /** Case, dots and spacing do not distinguish country names: {@code u.s.a} is {@code USA}. */
    private static String key(String name) {
        StringBuilder key = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '.' && c != ' ' && c != '-' && c != '\'' && c != '’') {
                key.append(Character.toLowerCase(c));
            }
        }
        return key.toString();
    }
}
