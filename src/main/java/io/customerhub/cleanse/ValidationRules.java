package io.customerhub.cleanse;

import io.customerhub.record.CanonicalField;
import io.customerhub.record.CustomerRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * The deployment's acceptance rules for cleansed records ({@code hub.validation.*}), checked after
 * cleansing so that rules see canonical values ({@code +8613800138000}, {@code 广东省}, ISO dates).
 *
 * <table>
 *   <caption>Rule keys (without the {@code hub.validation.} prefix)</caption>
 *   <tr><th>key</th><th>value</th><th>violation rule</th><th>example</th></tr>
 *   <tr><td>{@code required}</td><td>comma list of field keys that must have a value</td>
 *       <td>{@code required:<field>}</td><td>{@code required=sourceKey,fullName}</td></tr>
 *   <tr><td>{@code one-of}</td><td>comma list of field keys of which at least one must have a value</td>
 *       <td>{@code one-of:<fields>}</td><td>{@code one-of=phone,email} gives {@code one-of:phone,email}</td></tr>
 *   <tr><td>{@code pattern.<field>}</td><td>Java regular expression the whole value must match</td>
 *       <td>{@code pattern:<field>}</td><td>{@code pattern.postalCode=\d{6}}</td></tr>
 *   <tr><td>{@code values.<field>}</td><td>comma list of the allowed values</td>
 *       <td>{@code values:<field>}</td><td>{@code values.country=CN,HK,MO,TW}</td></tr>
 * </table>
 *
 * <p>Field keys are {@link CanonicalField#key()} names. Values are compared in their canonical
 * text form: dates and instants in ISO-8601, gender as {@code M}/{@code F} (an unknown gender
 * counts as missing). Pattern and allowed-values rules skip missing values; combine them with
 * {@code required} to demand a value. An unknown rule key, field name or invalid regex fails
 * {@link #from} with the key named.
 */
public final class ValidationRules {

    private final List<CanonicalField> required;
    private final List<CanonicalField> oneOf;
    private final String oneOfRule;
    private final Map<CanonicalField, Pattern> patterns;
    private final Map<CanonicalField, Set<String>> allowedValues;

    private ValidationRules(List<CanonicalField> required, List<CanonicalField> oneOf,
                            Map<CanonicalField, Pattern> patterns, Map<CanonicalField, Set<String>> allowedValues) {
        this.required = List.copyOf(required);
        this.oneOf = List.copyOf(oneOf);
        this.oneOfRule = "one-of:" + oneOf.stream().map(CanonicalField::key).collect(Collectors.joining(","));
        this.patterns = Map.copyOf(patterns);
        this.allowedValues = Map.copyOf(allowedValues);
    }

    /** Rules from configuration keys without their {@code hub.validation.} prefix; see the table above. */
    public static ValidationRules from(Map<String, String> rules) {
        List<CanonicalField> required = List.of();
        List<CanonicalField> oneOf = List.of();
        Map<CanonicalField, Pattern> patterns = new EnumMap<>(CanonicalField.class);
        Map<CanonicalField, Set<String>> allowed = new EnumMap<>(CanonicalField.class);
        for (Map.Entry<String, String> rule : rules.entrySet()) {
            String key = rule.getKey();
            String value = rule.getValue() == null ? "" : rule.getValue().trim();
            if (key.equals("required")) {
                required = fields(key, value);
            } else if (key.equals("one-of")) {
                oneOf = fields(key, value);
            } else if (key.startsWith("pattern.")) {
                patterns.put(field(key, key.substring("pattern.".length())), pattern(key, value));
            } else if (key.startsWith("values.")) {
                allowed.put(field(key, key.substring("values.".length())), Set.copyOf(list(value)));
            } else {
                throw new IllegalArgumentException("unknown validation rule 'hub.validation." + key
                        + "'; expected required, one-of, pattern.<field> or values.<field>");
            }
        }
        return new ValidationRules(required, oneOf, patterns, allowed);
    }

    /** Every rule {@code record} breaks, in rule order; empty when it passes. */
    public List<Violation> check(CustomerRecord record) {
        List<Violation> violations = new ArrayList<>(0);
        for (CanonicalField field : required) {
            if (field.textOf(record) == null) {
                violations.add(new Violation(field, "required:" + field.key(), field.key() + " is required but missing"));
            }
        }
        if (!oneOf.isEmpty() && oneOf.stream().allMatch(field -> field.textOf(record) == null)) {
            violations.add(new Violation(null, oneOfRule, "at least one of "
                    + oneOf.stream().map(CanonicalField::key).collect(Collectors.joining(", ")) + " is required, all are missing"));
        }
        for (Map.Entry<CanonicalField, Pattern> pattern : patterns.entrySet()) {
            String value = pattern.getKey().textOf(record);
            if (value != null && !pattern.getValue().matcher(value).matches()) {
                violations.add(new Violation(pattern.getKey(), "pattern:" + pattern.getKey().key(),
                        pattern.getKey().key() + " '" + value + "' does not match the pattern " + pattern.getValue().pattern()));
            }
        }
        for (Map.Entry<CanonicalField, Set<String>> allowed : allowedValues.entrySet()) {
            String value = allowed.getKey().textOf(record);
            if (value != null && !allowed.getValue().contains(value)) {
                violations.add(new Violation(allowed.getKey(), "values:" + allowed.getKey().key(),
                        allowed.getKey().key() + " '" + value + "' is not one of the allowed values "
                                + allowed.getValue().stream().sorted().collect(Collectors.joining(", "))));
            }
        }
        return violations;
    }

    private static List<CanonicalField> fields(String key, String value) {
        return list(value).stream().map(name -> field(key, name)).distinct().toList();
    }

    private static CanonicalField field(String key, String name) {
        try {
            return CanonicalField.of(name.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("validation rule 'hub.validation." + key + "': " + e.getMessage(), e);
        }
    }

    private static Pattern pattern(String key, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("validation rule 'hub.validation." + key + "' is not a valid regular expression: "
                    + e.getDescription(), e);
        }
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
