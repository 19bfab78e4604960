package io.customerhub.testing;

/**
 * The customer fields the three systems of the convergence tests hold, and what each system calls
 * them: the API's JSON path, the ERP's column, the CRM's CSV header, and the store's column
 * ({@code customer}, {@code customer_source}). Each is a field group of its own for survivorship
 * (city standing for the address group).
 */
public enum CustomerField {
    NAME("name", "name1", "姓名", "full_name", "name", "fullName"),
    PHONE("contact.mobile", "mobile", "手机", "phone", "phone", "phone"),
    EMAIL("contact.email", "email", "邮箱", "email", "email", "email"),
    CITY("address.city", "city", "城市", "city", "address", "city");

    private final String apiPath;
    private final String erpColumn;
    private final String crmHeader;
    private final String storeColumn;
    private final String fieldGroup;
    private final String canonical;

    CustomerField(String apiPath, String erpColumn, String crmHeader, String storeColumn, String fieldGroup, String canonical) {
        this.apiPath = apiPath;
        this.erpColumn = erpColumn;
        this.crmHeader = crmHeader;
        this.storeColumn = storeColumn;
        this.fieldGroup = fieldGroup;
        this.canonical = canonical;
    }

    /** The canonical field name (outbox payloads, history JSON, {@code sync_state.written_values}). */
    public String canonical() {
        return canonical;
    }

    public String apiPath() {
        return apiPath;
    }

    public String erpColumn() {
        return erpColumn;
    }

    public String crmHeader() {
        return crmHeader;
    }

    public String storeColumn() {
        return storeColumn;
    }

    /** The survivorship field group it belongs to ({@code sync_conflict.field_group}). */
    public String fieldGroup() {
        return fieldGroup;
    }
}
