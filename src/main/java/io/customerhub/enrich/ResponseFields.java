package io.customerhub.enrich;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which fields of a lookup's JSON answer are kept, and under which attribute names: declared as
 * a YAML map {@code attribute: path}, the path dotted with optional indexes
 * ({@code segment}, {@code limits.credit}, {@code tags[0]}).
 */
final class ResponseFields {

    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern PATH = Pattern.compile("[^.\\[\\]]+(\\[\\d+])*(\\.[^.\\[\\]]+(\\[\\d+])*)*");

    private final Map<String, JsonPointer> pointers;

    private ResponseFields(Map<String, JsonPointer> pointers) {
        this.pointers = Collections.unmodifiableMap(pointers);
    }

    /** @throws IllegalArgumentException naming the entry that is wrong */
    static ResponseFields parse(String yaml) {
        Object document;
        try {
            document = new Load(LoadSettings.builder().setLabel("lookup fields").build()).loadFromString(yaml == null ? "" : yaml);
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException("fields is not valid YAML: " + e.getMessage(), e);
        }
        if (!(document instanceof Map<?, ?> map) || map.isEmpty()) {
            throw new IllegalArgumentException("fields: expected a map of attribute name to answer field, e.g. 'segment: data.segment'");
        }
        Map<String, JsonPointer> pointers = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String attribute = String.valueOf(entry.getKey());
            String path = String.valueOf(entry.getValue());
            if (!ATTRIBUTE.matcher(attribute).matches()) {
                throw new IllegalArgumentException("fields." + attribute + ": an attribute name is a letter followed by letters, digits or _");
            }
            if (!PATH.matcher(path).matches()) {
                throw new IllegalArgumentException("fields." + attribute + ": '" + path + "' is not a path such as limits.credit or tags[0]");
            }
            pointers.put(attribute, JsonPointer.compile("/" + path.replace("[", ".").replace("]", "").replace(".", "/")));
        }
        return new ResponseFields(pointers);
    }

    /** The declared attributes the answer has a value for (text of a scalar, JSON of an object or array). */
    Map<String, String> extract(JsonNode answer) {
        Map<String, String> values = new LinkedHashMap<>();
        pointers.forEach((attribute, pointer) -> {
            JsonNode node = answer.at(pointer);
            if (node.isMissingNode() || node.isNull()) {
                return;
            }
            String text = node.isValueNode() ? node.asText() : node.toString();
            if (!text.isBlank()) {
                values.put(attribute, text);
            }
        });
        return values;
    }
}
