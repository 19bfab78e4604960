package io.customerhub.ops;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PersonalDataMaskerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            stored zhang.wei@example.com                | stored z***@example.com
            phone +8613800138000 changed               | phone **********8000 changed
            mobile 138 0013 8000                       | mobile *********8000
            id 11010119900708122X on file               | id **************122X on file
            tel 010-6552-9988                          | tel *********9988
            crm: 5000 records read so far              | crm: 5000 records read so far
            line 12: expected 6 fields, found 7        | line 12: expected 6 fields, found 7
            2026-11-26 03:48:56 batch 123456           | 2026-11-26 03:48:56 batch 123456
            file customers-20261125.csv picked up      | file customers-20261125.csv picked up
            done/20261206-075733466_crm.csv            | done/20261206-075733466_crm.csv
            phone 20131125345 from a date-like start   | phone *******5345 from a date-like start
            store /tmp/junit-1951838006925355520/hub     | store /tmp/junit-1951838006925355520/hub
            code ERR_12345678 and HY0001234567          | code ERR_12345678 and HY0001234567
            phone=13800138000, tel:13800138000          | phone=*******8000, tel:*******8000
            手机13800138000，座机010-65529988             | 手机*******8000，座机********9988
            """)
    void masksEmailsAndLongDigitRunsOnly(String text, String masked) {
        assertThat(PersonalDataMasker.mask(text)).isEqualTo(masked);
    }
}
