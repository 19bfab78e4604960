package io.customerhub.record;

/**
 * A postal address in canonical form: ISO 3166-1 alpha-2 country, then the administrative
 * levels from province (or state) down to street. Any part may be null.
 */
public record PostalAddress(
        String country,
        String province,
        String city,
        String district,
        String street,
        String postalCode) {

    public static final PostalAddress EMPTY = new PostalAddress(null, null, null, null, null, null);
}
