package io.customerhub.enrich;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.geocoding.PhoneNumberOfflineGeocoder;
import io.customerhub.cleanse.ChineseRegions;
import io.customerhub.cleanse.ChineseRegions.Place;
import io.customerhub.record.CheckedBatch;
import io.customerhub.record.CheckedRecord;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.PostalAddress;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Content enricher for Chinese addresses: fills a missing province from the city, or a missing
 * province or city from the address text ({@code 广东省深圳市南山区...}) or, failing that, from where a
 * +86 number is registered
 * (libphonenumber's offline geocoder: mobile number blocks and landline area codes). Values a
 * source delivered are never overwritten, and a phone's city is taken only when it lies in the
 * record's own province: matching then has the region to block and compare on.
 */
public final class RegionEnricher {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final PhoneNumberOfflineGeocoder GEOCODER = PhoneNumberOfflineGeocoder.getInstance();
    /** A mobile's region is fixed by its first seven digits, a landline's by its area code. */
    private static final int PREFIX_DIGITS = 7;
    private static final Region NONE = new Region(null, null);

    private final ChineseRegions regions;
    private final Map<String, Region> regionOfPrefix = new ConcurrentHashMap<>();

    public RegionEnricher(ChineseRegions regions) {
        this.regions = regions;
    }

    /** The batch with every accepted record enriched; rejections and counts pass unchanged. */
    public CheckedBatch enrich(CheckedBatch batch) {
        List<CheckedRecord> accepted = batch.accepted().stream()
                .map(record -> record.withCustomer(enrich(record.customer())))
                .toList();
        return new CheckedBatch(batch.source(), accepted, batch.rejected(), batch.duplicates());
    }

    /** The record with a missing province or city filled in where the address text or phone tells it. */
    public CustomerRecord enrich(CustomerRecord record) {
        PostalAddress address = record.address();
        String country = address.country();
        if (address.province() != null && address.city() != null || (country != null && !country.equals("CN"))) {
            return record;
        }
        Region found = address.city() != null && regions.provinceOf(address.city()) != null
                ? new Region(regions.provinceOf(address.city()), address.city())
                : fromText(address.street());
        if (found.province() == null) {
            found = fromPhone(record.phone());
        }
        String province = address.province() != null ? address.province() : found.province();
        String city = address.city();
        if (city == null && found.city() != null && found.province() != null && found.province().equals(province)) {
            city = found.city();
        }
        if (province == null || (province.equals(address.province()) && Objects.equals(city, address.city()))) {
            return record;
        }
        return withAddress(record, new PostalAddress(country != null ? country : regions.countryOf(province), province, city, address.district(), address.street(),
                address.postalCode()));
    }

    /** The province and city a Chinese address text starts with: 广东省深圳市..., 深圳市南山区... */
    private Region fromText(String text) {
        if (text == null || text.isEmpty() || !Character.isIdeographic(text.codePointAt(0))) {
            return NONE;
        }
        Place province = regions.provinceAt(text);
        Place city = regions.cityAt(province == null ? text : text.substring(province.length()));
        if (city == null && province != null) {
            city = regions.cityAt(text); // a municipality names province and city at once: 上海市
        }
        if (city == null) {
            return province == null ? NONE : new Region(province.name(), null);
        }
        String cityProvince = regions.provinceOf(city.name());
        return province == null || province.name().equals(cityProvince)
                ? new Region(cityProvince, city.name())
                : new Region(province.name(), null);
    }

    /** Where a +86 number is registered, e.g. 江苏省常州市; looked up once per number block. */
    private Region fromPhone(String e164) {
        if (e164 == null || !e164.startsWith("+86") || e164.length() < 3 + PREFIX_DIGITS) {
            return NONE;
        }
        return regionOfPrefix.computeIfAbsent(e164.substring(0, 3 + PREFIX_DIGITS), prefix -> {
            try {
                PhoneNumber number = PHONES.parse(e164, "CN");
                return fromText(GEOCODER.getDescriptionForNumber(number, Locale.SIMPLIFIED_CHINESE));
            } catch (NumberParseException e) {
                return NONE;
            }
        });
    }

    private static CustomerRecord withAddress(CustomerRecord r, PostalAddress address) {
        return new CustomerRecord(r.source(), r.sourceKey(), r.sourceUpdatedAt(), r.fullName(), r.givenName(),
                r.familyName(), r.gender(), r.birthDate(), r.email(), r.phone(), r.phoneRaw(), address, r.company(),
                r.nationalId(), r.type());
    }

    private record Region(String province, String city) {
    }
}
