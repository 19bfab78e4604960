package io.customerhub.match;

import io.customerhub.record.CustomerRecord;
import io.customerhub.record.Gender;
import io.customerhub.record.PostalAddress;
import java.time.LocalDate;

/** Builds cleansed records for matching tests: only the fields a case needs, the rest null. */
record People(String given, String family, LocalDate birthDate, String email, String phone, String nationalId,
              String street, String city, String postalCode, Gender gender) {

    static People named(String given, String family) {
        return new People(given, family, null, null, null, null, null, null, null, Gender.U);
    }

    People born(String date) {
        return new People(given, family, date == null ? null : LocalDate.parse(date), email, phone, nationalId, street, city, postalCode, gender);
    }

    People email(String value) {
        return new People(given, family, birthDate, value, phone, nationalId, street, city, postalCode, gender);
    }

    People phone(String value) {
        return new People(given, family, birthDate, email, value, nationalId, street, city, postalCode, gender);
    }

    People nationalId(String value) {
        return new People(given, family, birthDate, email, phone, value, street, city, postalCode, gender);
    }

    People gender(Gender value) {
        return new People(given, family, birthDate, email, phone, nationalId, street, city, postalCode, value);
    }

    People living(String street, String city, String postalCode) {
        return new People(given, family, birthDate, email, phone, nationalId, street, city, postalCode, gender);
    }

    CustomerRecord record(String key) {
        String full = given == null ? family : family == null ? given : given + " " + family;
        return new CustomerRecord("test", key, null, full, given, family, gender, birthDate, email, phone, phone,
                new PostalAddress(null, null, city, null, street, postalCode), null, nationalId);
    }

    CustomerRecord record() {
        return record("k");
    }
}
