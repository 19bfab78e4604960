package io.customerhub.ops;

import java.nio.file.Path;

/**
 * The command line: {@code [run] [--home DIR] [--once]} or {@code replay [--home DIR] [--source S] [--id N]}.
 */
public record CommandLine(Action action, Path home, boolean once, String source, Long id) {

    public static final String USAGE = """
            usage: java -jar customer-hub.jar [--home DIR] [--once]
                   java -jar customer-hub.jar replay [--home DIR] [--source SOURCE] [--id QUARANTINE_ID]""";

    public enum Action { RUN, REPLAY }

    public static CommandLine parse(String... args) {
        Action action = Action.RUN;
        Path home = Path.of("");
        boolean once = false;
        String source = null;
        Long id = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "run" -> action = Action.RUN;
                case "replay" -> action = Action.REPLAY;
                case "--home" -> home = Path.of(valueOf(args, ++i, arg));
                case "--once" -> once = true;
                case "--source" -> source = valueOf(args, ++i, arg);
                case "--id" -> id = parseId(valueOf(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown argument: " + arg);
            }
        }
        if (action == Action.RUN && (source != null || id != null)) {
            throw new IllegalArgumentException("--source and --id belong to the replay command");
        }
        return new CommandLine(action, home, once, source, id);
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
