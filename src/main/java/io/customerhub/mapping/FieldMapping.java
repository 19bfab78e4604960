package io.customerhub.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.CustomerType;
import io.customerhub.record.DeletionFlag;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * How one source's records become canonical values, declared in YAML by the integrator so that
 * adding a source needs no Java. It works on a record tree (a Jackson node) and so is the same for
 * CSV, JSON and XML:
 *
 * <pre>
 * key: cust_no                 # or a list: values joined with ":" (all parts must be present)
 * updated-at: modified         # optional, gives sourceUpdatedAt
 * deleted: is_deleted          # optional: true, 1, y, yes, t, x, deleted (any case) mark the record deleted
 * deleted: { from: status, equals: [D, X] }   # or: deleted when the value is one of these, as written
 * group-rows: false            # true: consecutive rows with the same key are one record
 * type: organization           # optional: every record a person (the default) or an organization;
 *                              # per record instead: fields: { customerType: kind } (person, organization, company, 个人, 企业, ...)
 * fields:                      # canonical field key -> expression
 *   fullName: name                                   # a field name or a path: contact.email, phones[0].number, phones[*].number, @id
 *   givenName: { split: name, on: " ", index: 0 }    # index may be negative (-1 = last); blank parts are skipped
 *   phone: { first-of: [mobile, tel] }               # first non-blank
 *   email: { from: mail, default: "none@example.com" }
 *   country: { constant: CN }
 *   street: { concat: [addr1, addr2], separator: " " }   # blanks skipped; separator defaults to ""
 *   email: { from: value, when: { type: email } }    # only rows whose field type equals email
 * </pre>
 *
 * Wherever an expression is expected, a nested one may stand ({@code first-of: [a, {split: b, on: ","}]});
 * {@code default} and {@code when} may qualify any of them. Values are the raw strings of the
 * source (numbers as written); a blank or missing value is absent from the result, never null.
 */
public final class FieldMapping {

    private static final Set<String> TOP_LEVEL = Set.of("key", "updated-at", "deleted", "group-rows", "type", "fields");
    private static final Set<String> OPERATORS = Set.of("from", "split", "first-of", "constant", "concat");

    private final Expression key;
    private final Expression updatedAt;
    private final Expression deleted;
    private final boolean groupRows;
    private final Map<CanonicalField, Expression> fields;

    private FieldMapping(Expression key, Expression updatedAt, Expression deleted, boolean groupRows,
                         Map<CanonicalField, Expression> fields) {
        this.key = key;
        this.updatedAt = updatedAt;
        this.deleted = deleted;
        this.groupRows = groupRows;
        this.fields = fields;
    }

    /**
     * Parses a mapping declaration.
     *
     * @throws IllegalArgumentException naming the entry that is wrong
     */
    public static FieldMapping parse(String yaml) {
        Object document;
        try {
            document = new Load(LoadSettings.builder().setLabel("field mapping").build()).loadFromString(yaml == null ? "" : yaml);
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException("field mapping is not valid YAML: " + e.getMessage(), e);
        }
        if (!(document instanceof Map<?, ?> root)) {
            throw new IllegalArgumentException("field mapping: expected a map with key and fields");
        }
        for (Object name : root.keySet()) {
            if (!TOP_LEVEL.contains(String.valueOf(name))) {
                throw new IllegalArgumentException("field mapping: unknown entry '" + name + "'; expected one of key, updated-at, deleted, group-rows, type, fields");
            }
        }
        Expression key = key(root.get("key"));
        Expression updatedAt = root.get("updated-at") == null ? null : expression("updated-at", root.get("updated-at"));
        Expression deleted = root.get("deleted") == null ? null : deleted(root.get("deleted"));
        Object group = root.containsKey("group-rows") ? root.get("group-rows") : Boolean.FALSE;
        if (!(group instanceof Boolean groupRows)) {
            throw new IllegalArgumentException("group-rows: expected true or false but was '" + group + "'");
        }
        Map<CanonicalField, Expression> fields = fields(root.get("fields"));
        if (root.get("type") != null) {
            Object type = root.get("type");
            if (!(type instanceof String text) || CustomerType.parse(text) == null) {
                throw new IllegalArgumentException("type: expected person or organization but was '" + type + "'");
            }
            if (fields.containsKey(CanonicalField.CUSTOMER_TYPE)) {
                throw new IllegalArgumentException("type: the mapping takes the type from fields.customerType already");
            }
            fields.put(CanonicalField.CUSTOMER_TYPE, new Constant(text.strip()));
        }
        return new FieldMapping(key, updatedAt, deleted, groupRows, fields);
    }

    private static Expression key(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("key: required (the source field or fields that identify a customer)");
        }
        return value instanceof List<?> ? new Key(list("key", value)) : expression("key", value);
    }

    /** The deletion flag: any expression, read as a yes/no word, or with {@code equals} the codes that mean deleted. */
    private static Expression deleted(Object value) {
        if (!(value instanceof Map<?, ?> map) || !map.containsKey("equals")) {
            return new Flag(expression("deleted", value), null);
        }
        Map<Object, Object> rest = new LinkedHashMap<>(map);
        Object equals = rest.remove("equals");
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("deleted: expected the field that holds the flag, e.g. { from: status, equals: D }");
        }
        List<?> codes = equals instanceof List<?> list ? list : equals == null ? List.of() : List.of(equals);
        if (codes.isEmpty() || codes.stream().anyMatch(c -> c == null || c instanceof Map || c instanceof List
                || String.valueOf(c).isBlank())) {
            throw new IllegalArgumentException("deleted.equals: expected a value or a non-empty list of values that mean"
                    + " deleted, e.g. equals: D or equals: [D, X]");
        }
        return new Flag(expression("deleted", rest), Set.copyOf(codes.stream().map(c -> String.valueOf(c).strip()).toList()));
    }

    private static Map<CanonicalField, Expression> fields(Object value) {
        // in the order written: a mapping read backwards gives a target's columns in that order
        Map<CanonicalField, Expression> fields = new LinkedHashMap<>();
        if (value == null) {
            return fields;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("fields: expected a map of canonical field to source expression");
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String name = String.valueOf(entry.getKey());
            CanonicalField field;
            try {
                field = CanonicalField.of(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("fields." + name + ": " + e.getMessage(), e);
            }
            if (field == CanonicalField.SOURCE_KEY || field == CanonicalField.SOURCE_UPDATED_AT
                    || field == CanonicalField.DELETED) {
                throw new IllegalArgumentException("fields." + name + ": set it with the top-level "
                        + switch (field) {
                            case SOURCE_KEY -> "key";
                            case SOURCE_UPDATED_AT -> "updated-at";
                            default -> "deleted";
                        } + " entry");
            }
            fields.put(field, expression("fields." + name, entry.getValue()));
        }
        return fields;
    }

    private static Expression expression(String entry, Object value) {
        if (value instanceof String text) {
            try {
                return new Field(SourcePath.parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(entry + ": " + e.getMessage(), e);
            }
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(entry + ": expected a field name or one of {from|split|first-of|constant|concat: ...} but was '" + value + "'");
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        map.forEach((k, v) -> spec.put(String.valueOf(k), v));
        List<String> operators = spec.keySet().stream().filter(OPERATORS::contains).toList();
        if (operators.size() != 1) {
            throw new IllegalArgumentException(entry + ": expected exactly one of from, split, first-of, constant, concat but found " + operators);
        }
        String operator = operators.get(0);
        Object argument = spec.get(operator);
        Expression expression = switch (operator) {
            case "from" -> {
                allow(entry, spec, Set.of());
                yield expression(entry + ".from", argument);
            }
            case "constant" -> {
                allow(entry, spec, Set.of());
                if (argument == null || argument instanceof Map || argument instanceof List) {
                    throw new IllegalArgumentException(entry + ".constant: expected a plain value");
                }
                yield new Constant(String.valueOf(argument));
            }
            case "split" -> {
                allow(entry, spec, Set.of("on", "index"));
                Object on = spec.getOrDefault("on", " ");
                if (!(on instanceof String separator) || separator.isEmpty()) {
                    throw new IllegalArgumentException(entry + ".on: expected a non-empty text");
                }
                Object index = spec.get("index");
                if (!(index instanceof Integer i)) {
                    throw new IllegalArgumentException(entry + ".index: expected a whole number (negative counts from the end) but was '" + index + "'");
                }
                yield new Split(expression(entry + ".split", argument), separator, i);
            }
            case "first-of" -> {
                allow(entry, spec, Set.of());
                yield new FirstOf(list(entry + ".first-of", argument));
            }
            default -> {
                allow(entry, spec, Set.of("separator"));
                Object separator = spec.getOrDefault("separator", "");
                if (!(separator instanceof String text)) {
                    throw new IllegalArgumentException(entry + ".separator: expected a text");
                }
                yield new Concat(list(entry + ".concat", argument), text);
            }
        };
        List<Condition> when = conditions(entry + ".when", spec.get("when"));
        Object fallback = spec.get("default");
        if (fallback instanceof Map || fallback instanceof List) {
            throw new IllegalArgumentException(entry + ".default: expected a plain value");
        }
        String fallbackText = fallback == null || String.valueOf(fallback).isBlank() ? null : String.valueOf(fallback);
        return when.isEmpty() && fallbackText == null ? expression : new Qualified(expression, when, fallbackText);
    }

    private static void allow(String entry, Map<String, Object> spec, Set<String> extra) {
        for (String name : spec.keySet()) {
            if (!OPERATORS.contains(name) && !extra.contains(name) && !name.equals("default") && !name.equals("when")) {
                throw new IllegalArgumentException(entry + ": unknown option '" + name + "'");
            }
        }
    }

    private static List<Expression> list(String entry, Object value) {
        if (!(value instanceof List<?> items) || items.isEmpty()) {
            throw new IllegalArgumentException(entry + ": expected a non-empty list");
        }
        List<Expression> expressions = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            expressions.add(expression(entry + "[" + i + "]", items.get(i)));
        }
        return List.copyOf(expressions);
    }

    private static List<Condition> conditions(String entry, Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
            throw new IllegalArgumentException(entry + ": expected a map of field to required value");
        }
        List<Condition> conditions = new ArrayList<>();
        for (Map.Entry<?, ?> condition : map.entrySet()) {
            if (condition.getValue() == null || condition.getValue() instanceof Map || condition.getValue() instanceof List) {
                throw new IllegalArgumentException(entry + "." + condition.getKey() + ": expected a plain value");
            }
            try {
                conditions.add(new Condition(SourcePath.parse(String.valueOf(condition.getKey())), String.valueOf(condition.getValue())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(entry + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(conditions);
    }

    /**
     * The mapping read backwards, for writing a golden record back to this source: per canonical
     * field (the key included), the source field it is read from verbatim: a plain field or path,
     * {@code from}, or the first candidate of {@code first-of}. Fields built by {@code split},
     * {@code concat} or {@code constant}, or read only under a {@code when}, cannot be written back
     * and are absent; so is a composite key. The key comes first, then the fields in the order the
     * mapping lists them.
     */
    public Map<CanonicalField, String> writableFields() {
        Map<CanonicalField, String> writable = new LinkedHashMap<>();
        String keyField = writable(key);
        if (keyField != null) {
            writable.put(CanonicalField.SOURCE_KEY, keyField);
        }
        fields.forEach((field, expression) -> {
            String source = writable(expression);
            if (source != null) {
                writable.put(field, source);
            }
        });
        return writable;
    }

    /**
     * The source field the deletion flag is written back to, or null when there is none or it is not
     * a plain yes/no field ({@code equals} codes, or an expression {@link #writableFields()} would not
     * write back): writers put {@code true} or {@code false} there.
     */
    public String writableDeletedField() {
        return deleted instanceof Flag flag && flag.codes() == null ? writable(flag.from()) : null;
    }

    private static String writable(Expression expression) {
        if (expression instanceof Field field) {
            return field.path().toString();
        }
        if (expression instanceof FirstOf first) {
            return writable(first.candidates().get(0));
        }
        if (expression instanceof Qualified qualified && qualified.when().isEmpty()) {
            return writable(qualified.expression());
        }
        return null;
    }

    /** Whether consecutive rows with the same key form one record (several rows per customer). */
    public boolean groupsRows() {
        return groupRows;
    }

    /** The canonical values of one record. */
    public Map<CanonicalField, String> map(JsonNode record) {
        return map(List.of(record));
    }

    /**
     * The canonical values of a record made of several rows: per field, the first non-blank value
     * any row yields.
     */
    public Map<CanonicalField, String> map(List<? extends JsonNode> rows) {
        Map<CanonicalField, String> values = new EnumMap<>(CanonicalField.class);
        put(values, CanonicalField.SOURCE_KEY, key, rows);
        if (updatedAt != null) {
            put(values, CanonicalField.SOURCE_UPDATED_AT, updatedAt, rows);
        }
        if (deleted != null) {
            put(values, CanonicalField.DELETED, deleted, rows);
        }
        for (Map.Entry<CanonicalField, Expression> field : fields.entrySet()) {
            put(values, field.getKey(), field.getValue(), rows);
        }
        return values;
    }

    private static void put(Map<CanonicalField, String> values, CanonicalField field, Expression expression,
                            List<? extends JsonNode> rows) {
        // a default stands in for the whole record, so it must not hide a value a later row has
        Qualified qualified = expression instanceof Qualified q ? q : null;
        for (JsonNode row : rows) {
            String value = qualified == null ? expression.evaluate(row) : qualified.withoutFallback(row);
            if (value != null) {
                values.put(field, value);
                return;
            }
        }
        if (qualified != null && qualified.fallback() != null && (qualified.when().isEmpty() || rows.stream().anyMatch(qualified::applies))) {
            values.put(field, qualified.fallback());
        }
    }

    /**
     * The top-level source fields the mapping reads (columns, JSON keys, CSV headers), in the order written: what
     * {@code check} looks for in the system.
     */
    public List<String> sourceFields() {
        Set<String> names = new LinkedHashSet<>();
        Stream.concat(Stream.of(key, updatedAt, deleted), fields.values().stream()).filter(Objects::nonNull)
                .forEach(expression -> expression.paths(path -> names.add(path.field())));
        return List.copyOf(names);
    }

    /** The source key of one row, or null when it (or a part of it) is missing. */
    public String key(JsonNode row) {
        return key.evaluate(row);
    }

    /** A source expression: the non-blank value it yields for one row, or null. */
    private interface Expression {
        String evaluate(JsonNode row);

        /** Hands {@code to} each source path this expression reads. */
        default void paths(Consumer<SourcePath> to) {
        }
    }

    private record Field(SourcePath path) implements Expression {
        public String evaluate(JsonNode row) {
            return path.value(row);
        }

        public void paths(Consumer<SourcePath> to) {
            to.accept(path);
        }
    }

    /** A composite key: its parts joined with ':', and missing when any part is, so that no two customers share "a:". */
    private record Key(List<Expression> parts) implements Expression {
        public String evaluate(JsonNode row) {
            StringBuilder joined = new StringBuilder();
            for (Expression part : parts) {
                String value = part.evaluate(row);
                if (value == null) {
                    return null;
                }
                if (!joined.isEmpty()) {
                    joined.append(':');
                }
                joined.append(value);
            }
            return joined.toString();
        }

        public void paths(Consumer<SourcePath> to) {
            parts.forEach(part -> part.paths(to));
        }
    }

    private record Constant(String value) implements Expression {
        public String evaluate(JsonNode row) {
            return value.isBlank() ? null : value;
        }
    }

    private record Split(Expression from, String on, int index) implements Expression {
        public String evaluate(JsonNode row) {
            String value = from.evaluate(row);
            if (value == null) {
                return null;
            }
            List<String> parts = new ArrayList<>();
            int start = 0;
            while (start <= value.length()) {
                int end = value.indexOf(on, start);
                String part = value.substring(start, end < 0 ? value.length() : end);
                if (!part.isBlank()) {
                    parts.add(part);
                }
                if (end < 0) {
                    break;
                }
                start = end + on.length();
            }
            int i = index < 0 ? parts.size() + index : index;
            return i >= 0 && i < parts.size() ? parts.get(i) : null;
        }

        public void paths(Consumer<SourcePath> to) {
            from.paths(to);
        }
    }

    private record FirstOf(List<Expression> candidates) implements Expression {
        public String evaluate(JsonNode row) {
            for (Expression candidate : candidates) {
                String value = candidate.evaluate(row);
                if (value != null) {
                    return value;
                }
            }
            return null;
        }

        public void paths(Consumer<SourcePath> to) {
            candidates.forEach(candidate -> candidate.paths(to));
        }
    }

    private record Concat(List<Expression> parts, String separator) implements Expression {
        public String evaluate(JsonNode row) {
            StringBuilder joined = new StringBuilder();
            for (Expression part : parts) {
                String value = part.evaluate(row);
                if (value != null) {
                    if (!joined.isEmpty()) {
                        joined.append(separator);
                    }
                    joined.append(value);
                }
            }
            return joined.isEmpty() ? null : joined.toString();
        }

        public void paths(Consumer<SourcePath> to) {
            parts.forEach(part -> part.paths(to));
        }
    }

    /**
     * A deletion flag: {@code true} when the record is deleted, nothing when it is not (so a mapping that
     * gains a {@code deleted} entry leaves the ids of live records as they were). Without codes a yes or no
     * word of {@link DeletionFlag}; any other word is passed on as it is, and cleansing rejects it. With
     * codes, deleted exactly when the trimmed value is one of them.
     */
    private record Flag(Expression from, Set<String> codes) implements Expression {
        public String evaluate(JsonNode row) {
            String value = from.evaluate(row);
            if (value == null) {
                return null;
            }
            if (codes != null) {
                return codes.contains(value.strip()) ? "true" : null;
            }
            if (DeletionFlag.isYes(value)) {
                return "true";
            }
            return DeletionFlag.isNo(value) ? null : value;
        }

        public void paths(Consumer<SourcePath> to) {
            from.paths(to);
        }
    }

    private record Condition(SourcePath path, String expected) {
        boolean holds(JsonNode row) {
            String value = path.value(row);
            return value != null && value.strip().equals(expected);
        }
    }

    /** An expression that applies only to rows meeting every condition, with a value for when it yields none. */
    private record Qualified(Expression expression, List<Condition> when, String fallback) implements Expression {
        public String evaluate(JsonNode row) {
            String value = withoutFallback(row);
            return value != null || !applies(row) ? value : fallback;
        }

        String withoutFallback(JsonNode row) {
            return applies(row) ? expression.evaluate(row) : null;
        }

        boolean applies(JsonNode row) {
            for (Condition condition : when) {
                if (!condition.holds(row)) {
                    return false;
                }
            }
            return true;
        }

        public void paths(Consumer<SourcePath> to) {
            expression.paths(to);
            when.forEach(condition -> to.accept(condition.path()));
        }
    }
}
