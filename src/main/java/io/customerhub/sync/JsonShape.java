package io.customerhub.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.customerhub.mapping.FieldMapping;
import io.customerhub.record.CanonicalField;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A target's JSON record in its own field names: per canonical field, the path its mapping reads
 * it from ({@code FieldMapping.writableFields()}), written the other way round. A dotted path
 * becomes nested objects ({@code contact.email} -> {@code {"contact":{"email":...}}}), an index an
 * array ({@code phones[0].number}; {@code [*]} and negative indexes write the first element).
 * Unknown values are left out rather than sent as null, so a target keeps what the hub does not know.
 */
public final class JsonShape {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One step of a path: a field name and, when it is an array, the element written. */
    private record Step(String name, int index) {
        static final int NONE = -1;
    }

    private final Map<CanonicalField, List<Step>> paths;

    private JsonShape(Map<CanonicalField, List<Step>> paths) {
        this.paths = paths;
    }

    /**
     * The shape of {@code writable} (canonical field -> source path).
     *
     * @throws IllegalArgumentException when a path is malformed, or two fields would be written at
     *                                  the same place or one inside the other's value
     */
    public static JsonShape of(Map<CanonicalField, String> writable) {
        Map<CanonicalField, List<Step>> paths = new EnumMap<>(CanonicalField.class);
        writable.forEach((field, path) -> paths.put(field, steps(field, path)));
        JsonShape shape = new JsonShape(paths);
        // a document with every field set shows any clash before the first change is sent
        Map<CanonicalField, String> all = new EnumMap<>(CanonicalField.class);
        writable.keySet().forEach(field -> all.put(field, "x"));
        shape.document(all);
        return shape;
    }

    /** The document holding {@code values} (canonical field -> value); fields without a path or value are left out. */
    public ObjectNode document(Map<CanonicalField, String> values) {
        ObjectNode root = NODES.objectNode();
        paths.forEach((field, steps) -> {
            String value = values.get(field);
            if (value != null) {
                put(root, steps, value, field);
            }
        });
        return root;
    }

    private static void put(ObjectNode root, List<Step> steps, String value, CanonicalField field) {
        JsonNode node = root;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            boolean last = i == steps.size() - 1;
            ObjectNode parent = (ObjectNode) node;
            if (step.index() == Step.NONE) {
                if (last) {
                    if (parent.has(step.name())) {
                        throw clash(field);
                    }
                    parent.put(step.name(), value);
                    return;
                }
                node = child(parent.get(step.name()), field, parent, step.name());
            } else {
                JsonNode existing = parent.get(step.name());
                if (existing != null && !existing.isArray()) {
                    throw clash(field);
                }
                ArrayNode array = existing == null ? parent.putArray(step.name()) : (ArrayNode) existing;
                while (array.size() <= step.index()) {
                    array.addNull();
                }
                JsonNode element = array.get(step.index());
                if (last) {
                    if (!element.isNull()) {
                        throw clash(field);
                    }
                    array.set(step.index(), NODES.textNode(value));
                    return;
                }
                if (element.isNull()) {
                    element = array.objectNode();
                    array.set(step.index(), element);
                } else if (!element.isObject()) {
                    throw clash(field);
                }
                node = element;
            }
        }
    }

    private static JsonNode child(JsonNode existing, CanonicalField field, ObjectNode parent, String name) {
        if (existing == null) {
            return parent.putObject(name);
        }
        if (!existing.isObject()) {
            throw clash(field);
        }
        return existing;
    }

    private static IllegalArgumentException clash(CanonicalField field) {
        return new IllegalArgumentException("mapping: " + field.key() + " is written where another field already is");
    }

    private static List<Step> steps(CanonicalField field, String path) {
        List<Step> steps = new ArrayList<>();
        for (String segment : path.split("\\.", -1)) {
            int open = segment.indexOf('[');
            String name = open < 0 ? segment : segment.substring(0, open);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("mapping: " + field.key() + ": cannot write to '" + path + "'");
            }
            int index = Step.NONE;
            if (open >= 0) {
                String inside = segment.substring(open + 1, segment.length() - 1).strip();
                index = inside.equals("*") || inside.startsWith("-") ? 0 : Integer.parseInt(inside);
            }
            steps.add(new Step(name, index));
        }
        return List.copyOf(steps);
    }
}
