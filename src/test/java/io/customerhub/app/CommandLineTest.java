package io.customerhub.app;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTest {

    @Test
    void noArgumentsRunTheDaemonInTheCurrentDirectory() {
        assertThat(CommandLine.parse()).isEqualTo(new CommandLine(CommandLine.Action.RUN, Path.of(""), false, null, null, null, null, null, List.of(), null, List.of(), false));
    }

    @Test
    void onceAndHomeAreRead() {
        assertThat(CommandLine.parse("--home", "/srv/hub", "--once"))
                .isEqualTo(new CommandLine(CommandLine.Action.RUN, Path.of("/srv/hub"), true, null, null, null, null, null, List.of(), null, List.of(), false));
    }

    @Test
    void replayTakesASourceAndAnId() {
        assertThat(CommandLine.parse("replay", "--source", "crm", "--id", "42"))
                .isEqualTo(new CommandLine(CommandLine.Action.REPLAY, Path.of(""), false, "crm", 42L, null, null, null, List.of(), null, List.of(), false));
    }

    @Test
    void evaluateTakesAMappingATruthColumnAndFiles() {
        assertThat(CommandLine.parse("evaluate", "--mapping", "m.yaml", "--truth-column", "rec_id",
                "--truth-regex", "rec-(\\d+)-", "a.csv", "b.csv"))
                .isEqualTo(new CommandLine(CommandLine.Action.EVALUATE, Path.of(""), false, null, null,
                        Path.of("m.yaml"), "rec_id", "rec-(\\d+)-", List.of(Path.of("a.csv"), Path.of("b.csv")), null, List.of(), false));
    }

    @Test
    void specTakesAnOptionalTemplateAndJson() {
        assertThat(CommandLine.parse("spec", "--home", "h"))
                .isEqualTo(new CommandLine(CommandLine.Action.SPEC, Path.of("h"), false, null, null, null, null, null, List.of(), null, List.of(), false));
        CommandLine one = CommandLine.parse("spec", "jdbc-source", "--json");
        assertThat(one.ids()).containsExactly("jdbc-source");
        assertThat(one.json()).isTrue();
        assertThatThrownBy(() -> CommandLine.parse("spec", "jdbc-source", "file-source")).hasMessageContaining("spec takes at most one template");
        assertThatThrownBy(() -> CommandLine.parse("status", "--json")).hasMessageContaining("--json belongs to the spec command");
        assertThatThrownBy(one::call).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void checkTakesAnOptionalSourceAndDiscoverOne() {
        assertThat(CommandLine.parse("check").call()).isEqualTo(new CommandLine.Call("check", List.of("")));
        assertThat(CommandLine.parse("check", "erp").call()).isEqualTo(new CommandLine.Call("check", List.of("erp")));
        assertThat(CommandLine.parse("discover", "--home", "h", "erp").call()).isEqualTo(new CommandLine.Call("discover", List.of("erp")));
        assertThatThrownBy(() -> CommandLine.parse("check", "erp", "crm")).hasMessageContaining("check takes one source at most");
        assertThatThrownBy(() -> CommandLine.parse("discover")).hasMessageContaining("discover needs one source");
    }

    @Test
    void stewardCommandsTakeGoldenIdsOrASourceRecord() {
        assertThat(CommandLine.parse("merge", "g1", "g2").ids()).containsExactly("g1", "g2");
        assertThat(CommandLine.parse("explain", "g1").ids()).containsExactly("g1");
        assertThat(CommandLine.parse("unmerge", "g1").ids()).containsExactly("g1");
        CommandLine record = CommandLine.parse("unmerge", "--source", "crm", "--key", "42");
        assertThat(record.source()).isEqualTo("crm");
        assertThat(record.key()).isEqualTo("42");
        assertThat(record.ids()).isEmpty();
        assertThat(CommandLine.parse("review", "accept", "7").ids()).containsExactly("accept", "7");
        assertThat(CommandLine.parse("settle", "21", "other").action()).isEqualTo(CommandLine.Action.SETTLE);
        assertThat(CommandLine.parse("sync-retry", "erp").action()).isEqualTo(CommandLine.Action.SYNC_RETRY);
        assertThat(CommandLine.parse("sync-retry", "erp").ids()).containsExactly("erp");
        assertThat(CommandLine.parse("weights", "--home", "h").call()).isEqualTo(new CommandLine.Call("estimateWeights", List.of()));
        assertThatThrownBy(() -> CommandLine.parse("weights", "x")).hasMessageContaining("weights takes no arguments");
    }

    @Test
    void stewardCommandMistakesAreNamed() {
        assertThatThrownBy(() -> CommandLine.parse("merge", "g1")).hasMessageContaining("merge needs two golden ids");
        assertThatThrownBy(() -> CommandLine.parse("explain")).hasMessageContaining("explain needs one golden id");
        assertThatThrownBy(() -> CommandLine.parse("unmerge", "--source", "crm"))
                .hasMessageContaining("unmerge needs a golden id, or --source and --key");
        assertThatThrownBy(() -> CommandLine.parse("unmerge", "g1", "--key", "42")).hasMessageContaining("unmerge needs");
        assertThatThrownBy(() -> CommandLine.parse("--key", "42")).hasMessageContaining("--key belongs to the unmerge command");
        assertThatThrownBy(() -> CommandLine.parse("review", "approve", "7")).hasMessageContaining("accept or reject");
        assertThatThrownBy(() -> CommandLine.parse("sync-retry")).hasMessageContaining("one target");
        assertThatThrownBy(() -> CommandLine.parse("review", "accept", "x")).hasMessageContaining("accept or reject");
        assertThatThrownBy(() -> CommandLine.parse("settle", "21", "mine")).hasMessageContaining("owner or other");
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> CommandLine.parse("--hoem", "x")).hasMessageContaining("--hoem");
        assertThatThrownBy(() -> CommandLine.parse("--home")).hasMessageContaining("--home needs a value");
        assertThatThrownBy(() -> CommandLine.parse("replay", "--id", "x")).hasMessageContaining("--id must be a number");
        assertThatThrownBy(() -> CommandLine.parse("--source", "crm")).hasMessageContaining("replay");
        assertThatThrownBy(() -> CommandLine.parse("evaluate", "a.csv")).hasMessageContaining("--mapping");
        assertThatThrownBy(() -> CommandLine.parse("a.csv")).hasMessageContaining("unknown argument: a.csv");
    }
}
