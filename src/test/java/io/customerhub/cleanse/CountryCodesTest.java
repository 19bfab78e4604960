package io.customerhub.cleanse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CountryCodesTest {

    private final CountryCodes countries = new CountryCodes();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            cn                       | CN
            CN                       | CN
            CHN                      | CN
            China                    | CN
            CHINA                    | CN
            中国                     | CN
            中華人民共和國           | CN
            中华人民共和国           | CN
            PRC                      | CN
            P.R.C.                   | CN
            People's Republic of China | CN
            Australia                | AU
            AUS                      | AU
            au                       | AU
            澳大利亚                 | AU
            United States            | US
            USA                      | US
            U.S.A.                   | US
            United Kingdom           | GB
            UK                       | GB
            Germany                  | DE
            DEU                      | DE
            德国                     | DE
            Hong Kong                | HK
            香港                     | HK
            South Korea              | KR
            new zealand              | NZ
            """)
    void countryIsAlpha2(String input, String expected) {
        assertThat(countries.alpha2(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Atlantis", "XX", "ZZZ", "Chinaa", "广东"})
    void unknownCountryIsNotGuessed(String input) {
        assertThat(countries.alpha2(input)).isNull();
    }
}
