package io.customerhub.cleanse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChineseRegionsTest {

    private static final ChineseRegions REGIONS = new ChineseRegions();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "广东, 广东省", "广东省, 广东省", "Guangdong, 广东省", "GUANGDONG PROVINCE, 广东省", "guangdong sheng, 广东省",
            "内蒙古, 内蒙古自治区", "内蒙, 内蒙古自治区", "Inner Mongolia, 内蒙古自治区", "Nei Mongol, 内蒙古自治区",
            "广西, 广西壮族自治区", "Guangxi Zhuang Autonomous Region, 广西壮族自治区",
            "北京, 北京市", "北京市, 北京市", "Beijing Municipality, 北京市", "Beijing Shi, 北京市",
            "香港, 香港特别行政区", "Hong Kong SAR, 香港特别行政区", "澳门, 澳门特别行政区", "Macao, 澳门特别行政区",
            "西藏, 西藏自治区", "Tibet, 西藏自治区", "新疆, 新疆维吾尔自治区", "宁夏, 宁夏回族自治区",
            "陕西, 陕西省", "Shaanxi, 陕西省", "山西, 山西省", "Shanxi, 山西省", "台湾, 台湾省",
            "nsw, nsw", "Victoria, Victoria", "Bayern, Bayern"})
    void provinceIsCanonical(String input, String expected) {
        assertThat(REGIONS.province(input)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "广州, 广州市", "深圳市, 深圳市", "深圳, 深圳市", "吉林, 吉林市", "上海, 上海市", "重庆, 重庆市",
            "延边, 延边朝鲜族自治州", "恩施州, 恩施土家族苗族自治州", "西双版纳, 西双版纳傣族自治州",
            "大兴安岭, 大兴安岭地区", "锡林郭勒, 锡林郭勒盟", "襄樊, 襄阳市", "海南州, 海南藏族自治州",
            "海南, 海南", "天河区, 天河区", "Sydney, Sydney"})
    void cityIsCanonical(String input, String expected) {
        assertThat(REGIONS.city(input)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"广东省, CN", "北京市, CN", "新疆维吾尔自治区, CN", "香港特别行政区, HK", "澳门特别行政区, MO", "台湾省, TW"})
    void provinceTellsTheCountry(String province, String country) {
        assertThat(REGIONS.countryOf(province)).isEqualTo(country);
    }

    @Test
    void nonChineseOrNonCanonicalProvinceTellsNoCountry() {
        assertThat(REGIONS.countryOf("nsw")).isNull();
        assertThat(REGIONS.countryOf("广东")).isNull();
    }

    @Test
    void everyProvincialDivisionIsKnown() throws Exception {
        List<String> provinces = lines("/cleanse/cn-provinces.tsv").stream().map(line -> line.split("\t")[0]).toList();

        assertThat(provinces).hasSize(34).doesNotHaveDuplicates();
        assertThat(provinces).allSatisfy(province -> assertThat(REGIONS.countryOf(province)).isNotNull());
    }

    @Test
    void everyCityLiesInAKnownProvinceAndAppearsOnce() throws Exception {
        List<String[]> cities = lines("/cleanse/cn-cities.tsv").stream().map(line -> line.split("\t")).toList();

        assertThat(cities).hasSizeGreaterThan(330);
        assertThat(cities).allSatisfy(city -> {
            assertThat(REGIONS.province(city[0])).isEqualTo(city[0]);
            assertThat(REGIONS.countryOf(city[0])).isNotNull();
            assertThat(REGIONS.provinceOf(city[1])).isEqualTo(city[0]);
        });
        assertThat(cities.stream().map(city -> city[1])).doesNotHaveDuplicates();
    }

    private static List<String> lines(String resource) throws Exception {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                ChineseRegionsTest.class.getResourceAsStream(resource), StandardCharsets.UTF_8))) {
            return reader.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        }
    }
}
