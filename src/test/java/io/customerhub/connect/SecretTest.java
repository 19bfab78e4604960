package io.customerhub.connect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Secrets named by template parameters: checked when the route is created, read again on every use, never shown. */
class SecretTest {

    @TempDir
    Path dir;

    @Test
    void aSecretFileIsReadStrippedAndAgainAfterItIsRotated() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "first-s3cret\n");
        Secret secret = Secret.required("source sales", "token", "-", file.toString());
        assertThat(secret.read()).isEqualTo("first-s3cret");

        Files.writeString(file, "  second-s3cret\n");
        assertThat(secret.read()).isEqualTo("second-s3cret");
    }

    @Test
    void aVariableIsLookedUpInTheEnvironment() {
        Secret secret = Secret.required("source partner", "secret", " PARTNER_TOKEN ", "-", Map.of("PARTNER_TOKEN", "t0ken\n")::get);
        assertThat(secret.read()).isEqualTo("t0ken");
    }

    @Test
    void aMissingVariableOrFileFailsNamingItButNotTheValue() throws Exception {
        assertThatThrownBy(() -> Secret.required("source partner", "secret", "NO_SUCH_VARIABLE_SET", "-", name -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("source partner: secret-env: the environment variable NO_SUCH_VARIABLE_SET is not set");
        assertThatThrownBy(() -> Secret.required("source partner", "secret", "BLANK", "-", name -> " "))
                .hasMessage("source partner: secret-env: the environment variable BLANK is not set");
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> Secret.required("source sales", "token", "-", missing.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("source sales: token-file: cannot read " + missing);
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> Secret.required("source sales", "token", "-", empty.toString()))
                .hasMessage("source sales: token-file: " + empty + " is empty");

        Path file = Files.writeString(dir.resolve("token"), "s3cret");
        Secret secret = Secret.required("source sales", "token", "-", file.toString());
        Files.delete(file);
        assertThatThrownBy(secret::read).isInstanceOf(SecretReadException.class)
                .hasMessage("source sales: token-file: cannot read " + file)
                .satisfies(e -> assertThat(e.toString()).doesNotContain("s3cret"));
    }

    @Test
    void aRequiredSecretNeedsExactlyOneOfVariableAndFile() {
        assertThatThrownBy(() -> Secret.required("source sales", "token", "-", "-"))
                .hasMessage("source sales: set exactly one of token-env and token-file");
        assertThatThrownBy(() -> Secret.required("source sales", "token", "SALES_TOKEN", "/run/secrets/sales"))
                .hasMessage("source sales: set exactly one of token-env and token-file");
    }

    @Test
    void anOptionalSecretMayBeLeftOutOrEmptyButNotGivenTwice() throws Exception {
        assertThat(Secret.optional("source erp", "password", "-", null)).isEmpty();
        Path empty = Files.writeString(dir.resolve("no-password"), "\n");
        assertThat(Secret.optional("source erp", "password", "-", empty.toString())).get().extracting(Secret::read).isEqualTo("");
        assertThatThrownBy(() -> Secret.optional("source erp", "password", "ERP_PASSWORD", empty.toString()))
                .hasMessage("source erp: password-env and password-file: set one of them, not both");
    }

    @Test
    void aVariableNameMustBeOne() {
        assertThatThrownBy(() -> Secret.optional("source erp", "password", "$(cat x)", "-"))
                .hasMessage("source erp: password-env: '$(cat x)' is not an environment variable name");
    }
}
