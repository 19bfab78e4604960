package io.customerhub.record;

import java.util.Locale;
import java.util.Set;

/**
 * Whether a customer is a person or an organization (a company, an agency, a site of one). A mapping declares it for
 * a whole source ({@code type: organization}) or takes it from a field ({@code customerType: kind}); it decides how
 * names are read (an organization's name is not split into given and family name), which identifiers are checked, how
 * records are compared, and a person and an organization are never one customer.
 */
public enum CustomerType {
    PERSON, ORGANIZATION;

    private static final Set<String> PERSONS = Set.of("person", "individual", "private", "p", "i", "个人", "自然人", "個人");
    private static final Set<String> ORGANIZATIONS = Set.of("organization", "organisation", "org", "company", "business",
            "corporate", "b", "o", "企业", "公司", "单位", "法人", "企業", "單位");

    /** The type a source's code means (person, organization and their common synonyms, any case), or null for none. */
    public static CustomerType parse(String code) {
        String value = code.strip().toLowerCase(Locale.ROOT);
        return PERSONS.contains(value) ? PERSON : ORGANIZATIONS.contains(value) ? ORGANIZATION : null;
    }
}
