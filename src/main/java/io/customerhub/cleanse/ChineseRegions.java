package io.customerhub.cleanse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Canonical names of Chinese provinces and prefecture-level cities, so that {@code 广东},
 * {@code 广东省} and {@code Guangdong} match as one province. The tables are the resource files
 * {@code cleanse/cn-provinces.tsv} (all 34 provincial-level divisions, with pinyin and English
 * names) and {@code cleanse/cn-cities.tsv}. Names the tables do not know are returned unchanged:
 * an address outside China, or a Latin state code such as {@code nsw}, is kept as written.
 */
public final class ChineseRegions {

    private static final String PROVINCES = "/cleanse/cn-provinces.tsv";
    private static final String CITIES = "/cleanse/cn-cities.tsv";
    /** English and pinyin suffixes that do not distinguish a division: Guangdong Province, Beijing Shi. */
    private static final List<String> LATIN_SUFFIXES = List.of(
            "specialadministrativeregion", "autonomousregion", "municipality", "province", "zizhiqu",
            "sheng", "city", "shi", "sar");
    /** ISO 3166-1 gives the special administrative regions and Taiwan codes of their own. */
    private static final Map<String, String> COUNTRY_OF_PROVINCE = Map.of(
            "香港特别行政区", "HK", "澳门特别行政区", "MO", "台湾省", "TW");

    private final Set<String> canonicalProvinces = new HashSet<>();
    private final Map<String, String> provinces = new HashMap<>();
    private final Map<String, String> cities = new HashMap<>();
    private final Map<String, String> provinceOfCity = new HashMap<>();

    /** Loads the tables; build one and share it, it is immutable after construction. */
    public ChineseRegions() {
        read(PROVINCES, columns -> {
            String canonical = columns[0];
            canonicalProvinces.add(canonical);
            provinces.put(canonical, canonical);
            if (columns.length > 1) {
                for (String alias : columns[1].split(",")) {
                    provinces.put(latinKey(alias), canonical);
                }
            }
        });
        read(CITIES, columns -> {
            String province = columns[0];
            String canonical = columns[1];
            cities.put(canonical, canonical);
            provinceOfCity.put(canonical, province);
            String bare = stripSuffix(canonical);
            if (!bare.equals(canonical)) {
                cities.put(bare, canonical);
            }
            if (columns.length > 2) {
                for (String alias : columns[2].split(",")) {
                    cities.put(alias, canonical);
                }
            }
        });
    }

    /** The canonical province name, or {@code cleaned} itself when it names no Chinese province. */
    public String province(String cleaned) {
        String canonical = provinces.get(cleaned);
        if (canonical == null) {
            canonical = provinces.get(latinKey(cleaned));
        }
        return canonical != null ? canonical : cleaned;
    }

    /** The canonical city name, or {@code cleaned} itself when it names no city in the table. */
    public String city(String cleaned) {
        String canonical = cities.get(cleaned);
        return canonical != null ? canonical : cleaned;
    }

    /**
     * The canonical province named at the start of {@code text} (广东省深圳市..., 广东深圳...), with the
     * length of the name, or null when the text does not start with a province name.
     */
    public Place provinceAt(String text) {
        return longestPrefix(text, provinces);
    }

    /** The canonical city named at the start of {@code text}, as {@link #provinceAt(String)}. */
    public Place cityAt(String text) {
        return longestPrefix(text, cities);
    }

    /** A canonical region name found in a text, and how many characters of the text named it. */
    public record Place(String name, int length) {
    }

    private static Place longestPrefix(String text, Map<String, String> names) {
        if (text == null) {
            return null;
        }
        for (int length = Math.min(text.length(), 9); length >= 2; length--) {
            String canonical = names.get(text.substring(0, length));
            if (canonical != null) {
                return new Place(canonical, length);
            }
        }
        return null;
    }

    /** The canonical province a canonical city lies in, or null for a city not in the table. */
    public String provinceOf(String city) {
        return provinceOfCity.get(city);
    }

    /** The ISO country code of a canonical province name, or null when it is not Chinese. */
    public String countryOf(String province) {
        if (!canonicalProvinces.contains(province)) {
            return null;
        }
        return COUNTRY_OF_PROVINCE.getOrDefault(province, "CN");
    }

    private static String stripSuffix(String name) {
        for (String suffix : List.of("地区", "市", "盟")) {
            if (name.endsWith(suffix) && name.length() > suffix.length() + 1) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    /** Case, spaces and hyphens do not distinguish romanized names; Chinese text passes unchanged. */
    private static String latinKey(String name) {
        StringBuilder key = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != ' ' && c != '-' && c != '\'' && c != '.') {
                key.append(Character.toLowerCase(c));
            }
        }
        String result = key.toString();
        for (String suffix : LATIN_SUFFIXES) {
            if (result.endsWith(suffix) && result.length() > suffix.length()) {
                return result.substring(0, result.length() - suffix.length());
            }
        }
        return result;
    }

    private static void read(String resource, Consumer<String[]> row) {
        InputStream in = ChineseRegions.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("resource " + resource + " is missing from the class path");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    row.accept(line.split("\t"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
