package io.customerhub.record;

/**
 * Case mapping of values as received, one code point to one, in time linear in the value's length.
 * {@link String#toLowerCase} and {@link String#toUpperCase} map some characters to two ({@code ß} is
 * {@code SS}, {@code İ} is {@code i̇}) and copy the whole result at each, which is quadratic in how many a value
 * holds: a value of millions of them would hold up every record behind it.
 */
public final class Letters {

    private Letters() {
    }

    public static String lower(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(cp -> out.appendCodePoint(Character.toLowerCase(cp)));
        return out.toString();
    }

    public static String upper(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(cp -> out.appendCodePoint(Character.toUpperCase(cp)));
        return out.toString();
    }
}
