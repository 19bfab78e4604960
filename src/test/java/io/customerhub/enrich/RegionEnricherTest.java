package io.customerhub.enrich;

import io.customerhub.cleanse.ChineseRegions;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.PostalAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class RegionEnricherTest {

    private static final RegionEnricher ENRICHER = new RegionEnricher(new ChineseRegions());

    @ParameterizedTest(name = "{0} / {1} / {2} / {3} -> {4} {5}")
    @CsvSource(nullValues = "null", textBlock = """
            # country, province, city,   street,                 phone,          expected province, expected city
            CN,   null,    null,   广东省深圳市南山区科技园1号, null,           广东省, 深圳市
            CN,   null,    null,   广东深圳南山区,            null,           广东省, 深圳市
            CN,   null,    null,   杭州市西湖区文三路90号,     null,           浙江省, 杭州市
            CN,   null,    null,   null,                    +8613912345678, 江苏省, 常州市
            null, null,    null,   null,                    +8615900000001, 广东省, 中山市
            CN,   null,    null,   null,                    +862162345678,  上海市, 上海市
            CN,   广东省,  null,   null,                    +8615900000001, 广东省, 中山市
            CN,   浙江省,  null,   null,                    +8615900000001, 浙江省, null
            CN,   浙江省,  杭州市, 广东省深圳市,              +8615900000001, 浙江省, 杭州市
            CN,   null,    深圳市, null,                    +8613912345678, 广东省, 深圳市
            CN,   null,    null,   天河路 385 号,            null,           null,   null
            AU,   null,    null,   null,                    +61412345678,   null,   null
            US,   null,    null,   广东省深圳市,              null,           null,   null
            null, null,    杭州,   null,                    null,           null,   杭州
            null, null,    杭州市, null,                    null,           浙江省, 杭州市
            null, null,    null,   hunan street 5,          null,           null,   null
            """)
    void fillsMissingProvinceAndCityFromAddressTextOrPhoneWithoutOverwriting(
            String country, String province, String city, String street, String phone,
            String expectedProvince, String expectedCity) {
        CustomerRecord record = new CustomerRecord("crm", "1", null, "张伟", "伟", "张", null, null, null, phone, phone,
                new PostalAddress(country, province, city, null, street, null), null, null);

        PostalAddress enriched = ENRICHER.enrich(record).address();

        assertThat(enriched.province()).isEqualTo(expectedProvince);
        assertThat(enriched.city()).isEqualTo(expectedCity);
        assertThat(enriched.street()).isEqualTo(street);
        if (expectedProvince != null && country == null) {
            assertThat(enriched.country()).isEqualTo("CN");
        }
    }
}
