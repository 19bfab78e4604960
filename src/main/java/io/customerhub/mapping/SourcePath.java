package io.customerhub.mapping;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a value sits in a record tree: a field name ({@code name}, {@code @id}), or a dotted path
 * with optional indexes ({@code contact.email}, {@code phones[0].number}, {@code phones[-1]},
 * {@code phones[*].number}). A field whose name is the whole expression wins over the path reading,
 * so CSV headers containing dots or brackets still match.
 */
public final class SourcePath {

    /** The field under which a record tree keeps the text content of an XML element that has attributes. */
    public static final String TEXT = "#text";

    private static final int EVERY = Integer.MIN_VALUE;
    private static final int NONE = Integer.MAX_VALUE;

    private final String text;
    private final String[] names;
    private final int[] indexes;
    private final boolean simple;

    private SourcePath(String text, String[] names, int[] indexes) {
        this.text = text;
        this.names = names;
        this.indexes = indexes;
        this.simple = names.length == 1 && indexes[0] == NONE;
    }

    public static SourcePath parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a field name or path is required");
        }
        List<String> names = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        for (String segment : text.split("\\.", -1)) {
            int open = segment.indexOf('[');
            String name = open < 0 ? segment : segment.substring(0, open);
            int index = NONE;
            if (open >= 0) {
                if (!segment.endsWith("]") || segment.indexOf('[', open + 1) >= 0) {
                    throw new IllegalArgumentException("bad path '" + text + "': expected name[index] in '" + segment + "'");
                }
                String inside = segment.substring(open + 1, segment.length() - 1).strip();
                try {
                    index = inside.equals("*") ? EVERY : Integer.parseInt(inside);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad path '" + text + "': index must be a number or * in '" + segment + "'");
                }
            }
            if (name.isEmpty()) {
                throw new IllegalArgumentException("bad path '" + text + "': empty segment");
            }
            names.add(name);
            indexes.add(index);
        }
        return new SourcePath(text, names.toArray(String[]::new), indexes.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The first non-blank value at this path, or null when there is none. */
    public String value(JsonNode record) {
        JsonNode exact = record.get(text);
        if (simple || exact != null) {
            return text(exact);
        }
        return walk(record, 0);
    }

    private String walk(JsonNode node, int segment) {
        if (segment == names.length) {
            return text(node);
        }
        JsonNode named = node.get(names[segment]);
        if (named == null) {
            return null;
        }
        int index = indexes[segment];
        if (index == NONE) {
            return walk(named, segment + 1);
        }
        // XML cannot tell one repeated element from a single one, so a single value acts as a one-element array
        int size = named.isArray() ? named.size() : 1;
        if (index == EVERY) {
            for (int i = 0; i < size; i++) {
                String value = walk(element(named, i), segment + 1);
                if (value != null) {
                    return value;
                }
            }
            return null;
        }
        int i = index < 0 ? size + index : index;
        return i >= 0 && i < size ? walk(element(named, i), segment + 1) : null;
    }

    private static JsonNode element(JsonNode node, int i) {
        return node.isArray() ? node.get(i) : node;
    }

    /**
     * The raw text of a node: strings as they are, numbers as written, booleans as true/false; an
     * XML element with attributes gives its text content; an array its first non-blank element.
     * Blank and null give null.
     */
    static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        String value;
        if (node.isValueNode()) {
            value = node.asText();
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                String text = text(element);
                if (text != null) {
                    return text;
                }
            }
            return null;
        } else if (node.has(TEXT)) {
            value = node.get(TEXT).asText();
        } else {
            value = node.toString();
        }
        return value.isBlank() ? null : value;
    }

    /** The top-level field this path starts at: a column, a JSON key, a CSV header, an XML element. */
    public String field() {
        return names[0];
    }

    @Override
    public String toString() {
        return text;
    }
}
