package io.customerhub.app;

import io.customerhub.ops.HubControlMBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line: {@code [run] [--home DIR] [--once]}, {@code replay [--home DIR] [--source S] [--id N]},
 * {@code evaluate [--home DIR] --mapping M --truth-column C [--truth-regex R] FILE...},
 * {@code spec [--home DIR] [TEMPLATE] [--json]}, or the data
 * steward's {@code explain ID}, {@code merge ID ID}, {@code unmerge ID} and
 * {@code unmerge --source S --key K}, {@code review accept|reject N} and {@code settle N owner|other}.
 * {@code ids} are the positional arguments of the steward commands (and spec's template).
 */
public record CommandLine(Action action, Path home, boolean once, String source, Long id,
                          Path mapping, String truthColumn, String truthRegex, List<Path> files,
                          String key, List<String> ids, boolean json) {

    public static final String USAGE = """
            usage: java -jar customer-hub.jar [--home DIR] [--once]
                   java -jar customer-hub.jar replay [--home DIR] [--source SOURCE] [--id QUARANTINE_ID]
                   java -jar customer-hub.jar evaluate [--home DIR] --mapping MAPPING.yaml --truth-column COLUMN [--truth-regex REGEX] FILE...
                   java -jar customer-hub.jar spec [--home DIR] [TEMPLATE] [--json]
                   java -jar customer-hub.jar explain [--home DIR] GOLDEN_ID
                   java -jar customer-hub.jar merge [--home DIR] GOLDEN_ID GOLDEN_ID
                   java -jar customer-hub.jar unmerge [--home DIR] GOLDEN_ID
                   java -jar customer-hub.jar unmerge [--home DIR] --source SOURCE --key SOURCE_KEY
                   java -jar customer-hub.jar review [--home DIR] accept|reject REVIEW_ID
                   java -jar customer-hub.jar settle [--home DIR] CONFLICT_ID owner|other
                   java -jar customer-hub.jar sync-retry [--home DIR] TARGET
                   java -jar customer-hub.jar status|reload|weights [--home DIR]
                   java -jar customer-hub.jar pause|resume|reread [--home DIR] SOURCE
                   java -jar customer-hub.jar reexport [--home DIR] TARGET
                   java -jar customer-hub.jar check [--home DIR] [SOURCE]
                   java -jar customer-hub.jar discover [--home DIR] SOURCE""";

    public enum Action { RUN, REPLAY, EVALUATE, EXPLAIN, MERGE, UNMERGE, REVIEW, SETTLE, SYNC_RETRY, STATUS, RELOAD, PAUSE, RESUME, REREAD, REEXPORT,
        WEIGHTS, CHECK, DISCOVER, SPEC }

    /** An operation of the hub MBean ({@link HubControlMBean}) with its arguments as text. */
    public record Call(String operation, List<String> arguments) {

        /**
         * Runs this call on {@code control} as Jolokia runs it on the daemon: the MBean operation of that name, its
         * arguments converted from text.
         */
        public String on(HubControlMBean control) {
            for (Method method : HubControlMBean.class.getMethods()) {
                if (method.getName().equals(operation) && method.getParameterCount() == arguments.size()) {
                    Object[] values = new Object[method.getParameterCount()];
                    for (int i = 0; i < values.length; i++) {
                        String text = arguments.get(i);
                        Class<?> type = method.getParameterTypes()[i];
                        values[i] = type == long.class ? Long.parseLong(text) : type == boolean.class ? Boolean.parseBoolean(text) : text;
                    }
                    try {
                        return String.valueOf(method.invoke(control, values));
                    } catch (InvocationTargetException e) {
                        throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            throw new IllegalArgumentException("no hub operation " + operation + " with " + arguments.size() + " argument(s)");
        }
    }

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
        String key = null;
        List<String> ids = new ArrayList<>();
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "run" -> action = Action.RUN;
                case "replay" -> action = Action.REPLAY;
                case "evaluate" -> action = Action.EVALUATE;
                case "explain" -> action = Action.EXPLAIN;
                case "merge" -> action = Action.MERGE;
                case "unmerge" -> action = Action.UNMERGE;
                case "review" -> action = Action.REVIEW;
                case "settle" -> action = Action.SETTLE;
                case "sync-retry" -> action = Action.SYNC_RETRY;
                case "status" -> action = Action.STATUS;
                case "reload" -> action = Action.RELOAD;
                case "pause" -> action = Action.PAUSE;
                case "resume" -> action = Action.RESUME;
                case "reread" -> action = Action.REREAD;
                case "reexport" -> action = Action.REEXPORT;
                case "weights" -> action = Action.WEIGHTS;
                case "check" -> action = Action.CHECK;
                case "discover" -> action = Action.DISCOVER;
                case "spec" -> action = Action.SPEC;
                case "--key" -> key = valueOf(args, ++i, arg);
                case "--home" -> home = Path.of(valueOf(args, ++i, arg));
                case "--once" -> once = true;
                case "--source" -> source = valueOf(args, ++i, arg);
                case "--id" -> id = parseId(valueOf(args, ++i, arg));
                case "--mapping" -> mapping = Path.of(valueOf(args, ++i, arg));
                case "--truth-column" -> truthColumn = valueOf(args, ++i, arg);
                case "--truth-regex" -> truthRegex = valueOf(args, ++i, arg);
                case "--json" -> json = true;
                default -> {
                    if (arg.startsWith("--") || action == Action.RUN || action == Action.REPLAY) {
                        throw new IllegalArgumentException("unknown argument: " + arg);
                    }
                    if (action == Action.EVALUATE) {
                        files.add(Path.of(arg));
                    } else {
                        ids.add(arg);
                    }
                }
            }
        }
        if (action != Action.REPLAY && id != null || action != Action.REPLAY && action != Action.UNMERGE && source != null) {
            throw new IllegalArgumentException("--source and --id belong to the replay command (--source also to unmerge)");
        }
        if (action != Action.UNMERGE && key != null) {
            throw new IllegalArgumentException("--key belongs to the unmerge command");
        }
        if (action != Action.SPEC && json) {
            throw new IllegalArgumentException("--json belongs to the spec command");
        }
        int wanted = switch (action) {
            case EXPLAIN, SYNC_RETRY, PAUSE, RESUME, REREAD, REEXPORT, DISCOVER -> 1;
            case CHECK -> Math.min(ids.size(), 1);
            case STATUS, RELOAD, WEIGHTS -> 0;
            case MERGE, REVIEW, SETTLE -> 2;
            case UNMERGE -> source == null && key == null ? 1 : 0;
            case SPEC -> Math.min(ids.size(), 1);
            default -> ids.size();
        };
        boolean review = action != Action.REVIEW
                || ids.size() == 2 && ids.get(0).matches("accept|reject") && ids.get(1).matches("\\d+");
        boolean settle = action != Action.SETTLE
                || ids.size() == 2 && ids.get(0).matches("\\d+") && ids.get(1).matches("owner|other");
        if (ids.size() != wanted || !review || !settle || action == Action.UNMERGE && wanted == 0 && (source == null || key == null)) {
            throw new IllegalArgumentException(switch (action) {
                case EXPLAIN -> "explain needs one golden id";
                case SYNC_RETRY, REEXPORT -> action.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                        + " needs one target (a source with a <source>-sync route)";
                case MERGE -> "merge needs two golden ids";
                case REVIEW -> "review needs accept or reject and a match_review id";
                case SETTLE -> "settle needs a sync_conflict id and owner or other";
                case STATUS, RELOAD, WEIGHTS -> action.name().toLowerCase(java.util.Locale.ROOT) + " takes no arguments";
                case PAUSE, RESUME, REREAD, DISCOVER -> action.name().toLowerCase(java.util.Locale.ROOT) + " needs one source";
                case CHECK -> "check takes one source at most (none: every source and sync target)";
                case SPEC -> "spec takes at most one template";
                default -> "unmerge needs a golden id, or --source and --key of one source record";
            });
        }
        if (action == Action.EVALUATE && (mapping == null || truthColumn == null || files.isEmpty())) {
            throw new IllegalArgumentException("evaluate needs --mapping, --truth-column and at least one file");
        }
        return new CommandLine(action, home, once, source, id, mapping, truthColumn, truthRegex, List.copyOf(files), key,
                List.copyOf(ids), json);
    }

    /** The hub operation this command runs; RUN, EVALUATE and SPEC are none. */
    public Call call() {
        return switch (action) {
            case REPLAY -> id != null ? new Call("replayQuarantineEntry", List.of(id.toString()))
                    : new Call("replayQuarantine", List.of(source == null ? "" : source));
            case EXPLAIN -> new Call("explain", ids);
            case MERGE -> new Call("merge", ids);
            case UNMERGE -> ids.isEmpty() ? new Call("unmergeRecord", List.of(source, key)) : new Call("unmerge", ids);
            case REVIEW -> new Call("review", List.of(ids.get(1), String.valueOf(ids.get(0).equals("accept"))));
            case SETTLE -> new Call("settle", ids);
            case SYNC_RETRY -> new Call("retryDead", ids);
            case STATUS -> new Call("getStatus", List.of());
            case RELOAD -> new Call("reload", List.of());
            case WEIGHTS -> new Call("estimateWeights", List.of());
            case PAUSE -> new Call("pause", ids);
            case RESUME -> new Call("resume", ids);
            case REREAD -> new Call("reread", ids);
            case REEXPORT -> new Call("reexport", ids);
            case CHECK -> new Call("check", List.of(ids.isEmpty() ? "" : ids.get(0)));
            case DISCOVER -> new Call("discover", ids);
            case RUN, EVALUATE, SPEC -> throw new IllegalStateException(action + " is not a hub operation");
        };
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
