package io.customerhub.ops;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTest {

    @Test
    void noArgumentsRunTheDaemonInTheCurrentDirectory() {
        assertThat(CommandLine.parse()).isEqualTo(new CommandLine(CommandLine.Action.RUN, Path.of(""), false, null, null));
    }

    @Test
    void onceAndHomeAreRead() {
        assertThat(CommandLine.parse("--home", "/srv/hub", "--once"))
                .isEqualTo(new CommandLine(CommandLine.Action.RUN, Path.of("/srv/hub"), true, null, null));
    }

    @Test
    void replayTakesASourceAndAnId() {
        assertThat(CommandLine.parse("replay", "--source", "crm", "--id", "42"))
                .isEqualTo(new CommandLine(CommandLine.Action.REPLAY, Path.of(""), false, "crm", 42L));
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> CommandLine.parse("--hoem", "x")).hasMessageContaining("--hoem");
        assertThatThrownBy(() -> CommandLine.parse("--home")).hasMessageContaining("--home needs a value");
        assertThatThrownBy(() -> CommandLine.parse("replay", "--id", "x")).hasMessageContaining("--id must be a number");
        assertThatThrownBy(() -> CommandLine.parse("--source", "crm")).hasMessageContaining("replay");
    }
}
