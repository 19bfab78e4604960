package io.customerhub.ops;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line: {@code [run] [--home DIR] [--once]}, {@code replay [--home DIR] [--source S] [--id N]}
 * or {@code evaluate [--home DIR] --mapping M --truth-column C [--truth-regex R] FILE...}.
 */
public record CommandLine(Action action, Path home, boolean once, String source, Long id,
                          Path mapping, String truthColumn, String truthRegex, List<Path> files) {

    public static final String USAGE = """
            usage: java -jar customer-hub.jar [--home DIR] [--once]
                   java -jar customer-hub.jar replay [--home DIR] [--source SOURCE] [--id QUARANTINE_ID]
                   java -jar customer-hub.jar evaluate [--home DIR] --mapping MAPPING.yaml --truth-column COLUMN [--truth-regex REGEX] FILE...""";

    public enum Action { RUN, REPLAY, EVALUATE }

    public static CommandLine parse(String... args) {
        Action action = Action.RUN;
        Path home = Path.of("");
        boolean once = false;
        String source = null;
        Long id = null;
        Path mapping = null;
        String truthColumn = null;
        String truthRegex = null;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "run" -> action = Action.RUN;
                case "replay" -> action = Action.REPLAY;
                case "evaluate" -> action = Action.EVALUATE;
                case "--home" -> home = Path.of(valueOf(args, ++i, arg));
                case "--once" -> once = true;
                case "--source" -> source = valueOf(args, ++i, arg);
                case "--id" -> id = parseId(valueOf(args, ++i, arg));
                case "--mapping" -> mapping = Path.of(valueOf(args, ++i, arg));
                case "--truth-column" -> truthColumn = valueOf(args, ++i, arg);
                case "--truth-regex" -> truthRegex = valueOf(args, ++i, arg);
                default -> {
                    if (action != Action.EVALUATE || arg.startsWith("--")) {
                        throw new IllegalArgumentException("unknown argument: " + arg);
                    }
                    files.add(Path.of(arg));
                }
            }
        }
        if (action != Action.REPLAY && (source != null || id != null)) {
            throw new IllegalArgumentException("--source and --id belong to the replay command");
        }
        if (action == Action.EVALUATE && (mapping == null || truthColumn == null || files.isEmpty())) {
            throw new IllegalArgumentException("evaluate needs --mapping, --truth-column and at least one file");
        }
        return new CommandLine(action, home, once, source, id, mapping, truthColumn, truthRegex, List.copyOf(files));
    }

    private static String valueOf(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static Long parseId(String value) {
        try {
            return Long.valueOf(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--id must be a number, not " + value);
        }
    }
}
