package io.customerhub.cleanse;

import io.customerhub.cleanse.NameSplitter.PersonName;
import io.customerhub.cleanse.NationalIdNormalizer.NationalId;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.CustomerType;
import io.customerhub.record.DeletionFlag;
import io.customerhub.record.Gender;
import io.customerhub.record.PostalAddress;
import io.customerhub.record.SourceRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cleansing stage: turns one mapped source record into a canonical {@link CustomerRecord} and
 * checks it against the deployment's {@link ValidationRules}. Every value is cleaned by
 * {@link TextCleaner} first, then by its field's rule (phones to E.164, e-mails lower-case, dates
 * and stamps parsed, Chinese regions and countries canonical, names split or joined, resident ids
 * verified). A value that fails its field's rule becomes a {@code format:<field>} or
 * {@code range:<field>} violation and is null in the record; bad data never throws.
 *
 * <p>Gaps are filled only from the record itself: the full name from its parts or the parts from
 * the full name, birth date and gender from a valid Chinese resident id, the country from a
 * Chinese province.
 *
 * <p>A deletion ({@link SourceRecord#deleted()}) needs only its key, and a readable
 * {@code sourceUpdatedAt} when it has one (it decides whether the deletion is stale): the store keeps
 * the record's last values and ignores the deletion's, so no other value can fail it and the
 * validation rules do not apply. A deletion flag that is neither a yes nor a no of
 * {@link DeletionFlag} is a {@code format:deleted} violation: the hub does not guess whether a
 * customer is gone. Thread-safe: share one instance per settings.
 */
public final class CustomerCleanser {

    private static final ChineseRegions REGIONS = new ChineseRegions();
    private static final int EARLIEST_BIRTH_YEAR = 1900;

    private final TextCleaner text;
    private final PhoneNormalizer phones;
    private final CleansingSettings settings;
    private final DateParser dates;
    private final TimestampParser timestamps;
    private final GenderParser genders = new GenderParser();
    private final EmailNormalizer emails = new EmailNormalizer();
    private final CountryCodes countries = new CountryCodes();
    private final NameSplitter names = new NameSplitter();
    private final NationalIdNormalizer nationalIds = new NationalIdNormalizer();
    private final ValidationRules rules;
    private final int maxFieldLength;
    private final int maxRecordLength;
    private final Clock clock;

    public CustomerCleanser(CleansingSettings settings, ValidationRules rules) {
        this(settings, rules, Clock.system(settings.timeZone()));
    }

    /** With a fixed clock, so tests can say which birth dates lie in the future. */
    CustomerCleanser(CleansingSettings settings, ValidationRules rules, Clock clock) {
        this.text = new TextCleaner(settings.extraNullLikes());
        this.phones = new PhoneNormalizer(settings.phoneRegion());
        this.settings = settings;
        this.dates = new DateParser(settings.dateOrder());
        this.timestamps = new TimestampParser(settings.timeZone());
        this.rules = rules;
        this.maxFieldLength = settings.maxFieldLength();
        this.maxRecordLength = settings.maxRecordLength();
        this.clock = clock.withZone(settings.timeZone());
    }

    /**
     * The record or the field of it longer than its limit, as a violation, or null: such a record gets no text work
     * at all, so that no record's size can hold up the records behind it.
     */
    private Violation tooLong(SourceRecord record, Map<CanonicalField, String> in) {
        if (record.payload() != null && record.payload().length() > maxRecordLength) {
            return new Violation(null, "length:record", "the record holds " + record.payload().length()
                    + " characters, more than hub.cleanse.max-record-length (" + maxRecordLength + ")");
        }
        for (Map.Entry<CanonicalField, String> field : in.entrySet()) {
            if (field.getValue() != null && field.getValue().length() > maxFieldLength) {
                return new Violation(field.getKey(), "length:" + field.getKey().key(), field.getKey().key() + " holds "
                        + field.getValue().length() + " characters, more than hub.cleanse.max-field-length (" + maxFieldLength + ")");
            }
        }
        return null;
    }

    /** Cleanses then validates one mapped record; never throws on bad data (bad values become violations). */
    public CleansingResult cleanse(SourceRecord record) {
        if (record.error() != null) {
            return new CleansingResult(new CustomerRecord(record.source(), null, null, null, null, null, null, null,
                    null, null, null, null, null, null), List.of(new Violation(null, "parse", record.error())));
        }
        Map<CanonicalField, String> in = record.values();
        Violation tooLong = tooLong(record, in);
        if (tooLong != null) {
            String key = in.get(CanonicalField.SOURCE_KEY);
            return new CleansingResult(new CustomerRecord(record.source(), key == null || key.length() > maxFieldLength ? null
                    : key.strip(), null, null, null, null, null, null, null, null, null, null, null, null), List.of(tooLong));
        }
        List<Violation> violations = new ArrayList<>(0);

        String sourceKey = clean(in, CanonicalField.SOURCE_KEY);
        if (sourceKey == null) {
            violations.add(new Violation(CanonicalField.SOURCE_KEY, "required:sourceKey", "sourceKey is required but missing"));
        }

        Instant updatedAt = null;
        String value = clean(in, CanonicalField.SOURCE_UPDATED_AT);
        if (value != null) {
            updatedAt = timestamps.parse(value);
            if (updatedAt == null) {
                violations.add(format(CanonicalField.SOURCE_UPDATED_AT, value,
                        "is not a timestamp (ISO-8601 date-time, or epoch seconds or milliseconds)"));
            }
        }

        CustomerType type = CustomerType.PERSON;
        value = clean(in, CanonicalField.CUSTOMER_TYPE);
        if (value != null) {
            type = CustomerType.parse(value);
            if (type == null) {
                violations.add(format(CanonicalField.CUSTOMER_TYPE, value, "is not a customer type (person or organization;"
                        + " individual, 个人; company, 企业, ...)"));
                type = CustomerType.PERSON;
            }
        }
        boolean organization = type == CustomerType.ORGANIZATION;

        String fullName;
        String givenName = null;
        String familyName = null;
        if (organization) {
            // an organization's name as written (IBM stays IBM), not split into given and family name
            fullName = clean(in, CanonicalField.FULL_NAME);
            fullName = fullName != null ? fullName : clean(in, CanonicalField.COMPANY);
        } else {
            fullName = name(in, CanonicalField.FULL_NAME);
            givenName = name(in, CanonicalField.GIVEN_NAME);
            familyName = name(in, CanonicalField.FAMILY_NAME);
            if (fullName == null) {
                fullName = names.join(givenName, familyName);
            } else if (givenName == null || familyName == null) {
                PersonName split = names.split(fullName);
                givenName = givenName != null ? givenName : split.given();
                familyName = familyName != null ? familyName : split.family();
            }
        }

        Gender gender = null;
        value = organization ? null : clean(in, CanonicalField.GENDER);
        if (value != null) {
            gender = genders.parse(value);
            if (gender == null) {
                violations.add(format(CanonicalField.GENDER, value, "is not a gender code (M, F, 男, 女, 1, 2, ...)"));
            }
        }

        LocalDate today = LocalDate.now(clock);
        LocalDate birthDate = null;
        String birthDateText = organization ? null : clean(in, CanonicalField.BIRTH_DATE);
        if (birthDateText != null) {
            birthDate = dates.parse(birthDateText);
            if (birthDate == null) {
                violations.add(format(CanonicalField.BIRTH_DATE, birthDateText, "is not a valid date"));
            } else if (!plausibleBirthDate(birthDate, today)) {
                violations.add(new Violation(CanonicalField.BIRTH_DATE, "range:birthDate",
                        "birthDate '" + birthDateText + "' is " + (birthDate.isAfter(today) ? "in the future" : "before 1900")));
                birthDate = null;
            }
        }

        String email = null;
        value = clean(in, CanonicalField.EMAIL);
        if (value != null) {
            email = emails.normalize(value);
            if (email == null) {
                violations.add(format(CanonicalField.EMAIL, value, "is not a valid e-mail address"));
            }
        }

        String nationalId = null;
        value = clean(in, CanonicalField.NATIONAL_ID);
        if (value != null && organization) {
            nationalId = CreditCodes.normalize(value);
            if (nationalId == null) {
                violations.add(format(CanonicalField.NATIONAL_ID, value,
                        "is not a valid unified social credit code (wrong check character)"));
            }
        } else if (value != null) {
            NationalId id = nationalIds.normalize(value);
            if (!id.valid()) {
                violations.add(format(CanonicalField.NATIONAL_ID, value,
                        "is not a valid Chinese resident identity number (wrong check character or birth date)"));
            } else {
                nationalId = id.value();
                if (birthDateText == null && id.birthDate() != null && plausibleBirthDate(id.birthDate(), today)) {
                    birthDate = id.birthDate();
                }
                if ((gender == null || gender == Gender.U) && id.gender() != null) {
                    gender = id.gender();
                }
            }
        }

        PostalAddress address = address(in, violations);
        String phone = null;
        String phoneRaw = null;
        value = clean(in, CanonicalField.PHONE);
        if (value != null) {
            phoneRaw = in.get(CanonicalField.PHONE).trim();
            phone = phones.normalize(value, address.country(), settings.phoneAreaCode(record.source()));
            if (phone == null) {
                violations.add(format(CanonicalField.PHONE, phoneRaw, "is not a valid phone number"));
            }
        }

        CustomerRecord customer = new CustomerRecord(record.source(), sourceKey, updatedAt, fullName, givenName, familyName,
                gender, birthDate, email, phone, phoneRaw, address, organization ? null : clean(in, CanonicalField.COMPANY),
                nationalId, type);
        if (record.deleted()) {
            violations.removeIf(v -> v.field() != CanonicalField.SOURCE_KEY && v.field() != CanonicalField.SOURCE_UPDATED_AT);
            return new CleansingResult(customer, violations);
        }
        String flag = in.get(CanonicalField.DELETED);
        if (flag != null && !DeletionFlag.isNo(flag) && clean(in, CanonicalField.DELETED) != null) {
            violations.add(format(CanonicalField.DELETED, flag.strip(), "is not a deletion flag (true, 1, y, yes, t, x or"
                    + " deleted; false, 0, n, no or f); map other codes with deleted: { from: ..., equals: ... }"));
        }
        for (Violation violation : rules.check(customer)) {
            if (!alreadyReported(violations, violation)) {
                violations.add(violation);
            }
        }
        return new CleansingResult(customer, violations);
    }

    /** Canonical Chinese regions; the country from a Chinese province when the source gives none. */
    private PostalAddress address(Map<CanonicalField, String> in, List<Violation> violations) {
        String province = clean(in, CanonicalField.PROVINCE);
        if (province != null) {
            province = REGIONS.province(province);
        }
        String city = clean(in, CanonicalField.CITY);
        if (city != null) {
            city = REGIONS.city(city);
        }
        String country = null;
        String value = clean(in, CanonicalField.COUNTRY);
        if (value != null) {
            country = countries.alpha2(value);
            if (country == null) {
                violations.add(format(CanonicalField.COUNTRY, value, "is not a known country name or ISO 3166 code"));
            }
        } else if (province != null) {
            country = REGIONS.countryOf(province);
        }
        return new PostalAddress(country, province, city,
                clean(in, CanonicalField.DISTRICT), clean(in, CanonicalField.STREET), postalCode(clean(in, CanonicalField.POSTAL_CODE)));
    }

    private String clean(Map<CanonicalField, String> in, CanonicalField field) {
        return text.clean(in.get(field));
    }

    private String name(Map<CanonicalField, String> in, CanonicalField field) {
        String value = clean(in, field);
        return value == null ? null : names.normalize(value);
    }

    private static boolean plausibleBirthDate(LocalDate date, LocalDate today) {
        return date.getYear() >= EARLIEST_BIRTH_YEAR && !date.isAfter(today);
    }

    /** Digit-only postal codes are written with spaces for readability only: {@code 100 000}. */
    private static String postalCode(String cleaned) {
        if (cleaned == null || cleaned.indexOf(' ') < 0) {
            return cleaned;
        }
        String joined = cleaned.replace(" ", "");
        return DateParser.isDigits(joined) ? joined : cleaned;
    }

    private static Violation format(CanonicalField field, String value, String problem) {
        return new Violation(field, "format:" + field.key(), field.key() + " '" + value + "' " + problem);
    }

    /** A field that failed cleansing is not reported again as missing or mismatching. */
    private static boolean alreadyReported(List<Violation> violations, Violation candidate) {
        for (Violation violation : violations) {
            if (violation.rule().equals(candidate.rule())
                    || (candidate.field() != null && candidate.field() == violation.field())) {
                return true;
            }
        }
        return false;
    }
}
