package io.customerhub.connect;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link Configured#configure()} makes of the options a template gives a bean, as Camel hands them on. */
class ConfiguredTest {

    enum Mode { NONE, NEXT_LINK }

    /** Options of every type, one of them nested, one required and one with a placeholder default. */
    static final class Bean extends Configured {
        @Option(name = "name", description = "Required text.")
        String name;
        @Option(name = "page-size", description = "A whole number.", defaultValue = "100")
        int pageSize;
        @Option(name = "timeout", description = "A long.", defaultValue = "5000")
        long timeout;
        @Option(name = "bom", description = "A flag.", defaultValue = "false")
        boolean bom;
        @Option(name = "paging", description = "A mode.", defaultValue = "none")
        Mode paging;
        @Option(name = "batch-size", description = "A setting of the hub's.", defaultValue = "{{hub.ingest.batch-size}}")
        int batchSize = 1000;
        @Option.Nested
        final Shape shape = new Shape();
    }

    static final class Shape {
        @Option(name = "password-env", description = "Where a secret is.", defaultValue = "-", secret = true)
        String passwordEnv;
    }

    @Test
    void eachOptionIsSetFromItsValueAsItsTypeReadsItOrFromItsDefault() {
        Bean bean = new Bean();
        bean.getOptions().put("name", "crm");
        bean.getOptions().put("paging", " Next-Link ");
        // Camel's property binding hands a dashed map key on in camel case
        bean.getOptions().put("pageSize", "20");
        bean.getOptions().put("password-env", "CRM_PASSWORD");
        bean.configure();

        assertThat(bean.name).isEqualTo("crm");
        assertThat(bean.pageSize).isEqualTo(20);
        assertThat(bean.timeout).isEqualTo(5000);
        assertThat(bean.bom).isFalse();
        assertThat(bean.paging).isEqualTo(Mode.NEXT_LINK);
        assertThat(bean.batchSize).as("a placeholder default is Camel's to resolve: outside a route the field keeps its value")
                .isEqualTo(1000);
        assertThat(bean.shape.passwordEnv).isEqualTo("CRM_PASSWORD");
    }

    @Test
    void anUnknownOptionOrAValueItsTypeDoesNotTakeIsRefusedByName() {
        assertThatThrownBy(() -> configured("page-sise", "20")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("page-sise: no such option; valid: batch-size, bom, name, page-size, paging");
        assertThatThrownBy(() -> configured("page-size", "many")).hasMessage("page-size: 'many' is not a whole number");
        assertThatThrownBy(() -> configured("bom", "yes")).hasMessage("bom: 'yes' is neither true nor false");
        assertThatThrownBy(() -> configured("paging", "pages"))
                .hasMessage("paging: expected one of none, next-link but was 'pages'");
    }

    @Test
    void theDeclarationsSayNameTypeDefaultAndSecretInDeclarationOrder() {
        List<Configured.Declared> declared = Configured.declared(Bean.class);
        assertThat(declared).extracting(Configured.Declared::name)
                .containsExactly("name", "page-size", "timeout", "bom", "paging", "batch-size", "password-env");
        assertThat(declared).extracting(option -> option.type().getSimpleName())
                .containsExactly("String", "int", "long", "boolean", "Mode", "int", "String");
        assertThat(declared.get(0).defaultValue()).as("required").isNull();
        assertThat(declared.get(6).description()).isEqualTo("Secret: Where a secret is.");
    }

    private static Bean configured(String option, String value) {
        Bean bean = new Bean();
        bean.getOptions().put(option, value);
        bean.configure();
        return bean;
    }
}
