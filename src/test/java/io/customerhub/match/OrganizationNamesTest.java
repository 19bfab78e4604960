package io.customerhub.match;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Organization names read as matching reads them: the core without legal form, and the branch; a name of legal words only kept whole. */
class OrganizationNamesTest {

    @ParameterizedTest(name = "{0} -> {1} / {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            深圳市腾达电子科技有限公司          | 腾达电子科技   | -
            腾达电子科技股份有限公司            | 腾达电子科技   | -
            騰達電子科技有限公司               | 腾达电子科技   | -
            腾达电子科技(深圳)有限公司          | 腾达电子科技   | -
            腾达电子科技有限公司上海分公司       | 腾达电子科技   | 上海
            腾达电子科技有限公司（浦东分店）     | 腾达电子科技   | 浦东
            泽恒口腔医疗(宝安二店)              | 泽恒口腔医疗   | 宝安二
            华信咨询上海分公司                 | 华信咨询       | 上海
            中国工商银行股份有限公司北京朝阳支行 | 中国工商银行    | 北京朝阳
            Acme Widgets, Inc.               | acme widgets  | -
            ACME WIDGETS LLC                 | acme widgets  | -
            Blue River Consulting Co., Ltd.  | blue river consulting | -
            Smith & Sons Ltd                 | smith and sons | -
            Smith and Sons Limited           | smith and sons | -
            Acme Widgets - Chicago Branch    | acme widgets  | chicago
            Acme Widgets (Chicago office)    | acme widgets  | chicago
            ACME WIDGETS INC CHICAGO BRANCH  | acme widgets  | chicago
            Acme Widgets, Chicago branch     | acme widgets  | chicago
            Zenith Coffee Limited #0146      | zenith coffee | 146
            ZENITH COFFEE STORE 146          | zenith coffee | 146
            Zenith Coffee - Midtown          | zenith coffee | midtown
            The Company                      | the company   | -
            """)
    void aNameIsReadAsItsCoreAndItsBranch(String name, String core, String branch) {
        OrganizationNames read = OrganizationNames.of(name);
        assertThat(read.core()).isEqualTo(core);
        assertThat(read.branch()).isEqualTo(branch);
    }
}
