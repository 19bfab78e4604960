package io.customerhub.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerhub.connect.Configured;
import io.customerhub.connect.Option;
import io.customerhub.enrich.LookupAnswer.Outcome;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.CheckedBatch;
import io.customerhub.record.CheckedRecord;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.Enrichment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One external lookup (content enricher), declared in YAML through the {@code http-lookup}
 * template: a URL keyed by one field of the record, the answer's fields to keep, a cache and a
 * time budget per batch. This class makes every decision; the template's route only moves the
 * HTTP requests:
 * <ol>
 *   <li>{@link #plan} takes the distinct keys of a batch and answers what the cache knows;</li>
 *   <li>the route calls {@link #uri} and the service for each remaining key, in parallel, until
 *       the budget is spent, and reports each {@link #answered answer} or {@link #failed failure};</li>
 *   <li>{@link #apply} gives every record its attributes, or NOT_ENRICHED with the reason, or
 *       SKIPPED when it lacks the key field. A record is never held back or dropped.</li>
 * </ol>
 *
 * <p>A JavaBean because Camel sets template parameters as bean properties verbatim (as for
 * {@code FileRecordSource}); {@link #init()} checks them once they are set.
 */
public final class HttpLookup extends Configured {

    private static final Logger LOG = LoggerFactory.getLogger(HttpLookup.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

    @Option(name = "name", description = "Lookup name (kebab-case). Route id <name>-lookup; prefixes the reasons "
            + "and tags the metrics.")
    private String name;
    @Option(name = "url", description = "GET URL with the record field it is keyed by in braces, URL-encoded when "
            + "filled in, e.g. https://segments.example.com/v1/customers?phone={phone}")
    private String url;
    @Option(name = "fields", description = "Which fields of the JSON answer to keep, under which attribute names "
            + "(YAML map attribute: path, e.g. creditLimit: limits.credit).")
    private String fields;
    @Option(name = "cache-size", description = "Keys whose answer is kept in memory (0 = no cache). Only answers "
            + "(found, not found) are cached, never failures.", defaultValue = "10000")
    private int cacheSize;
    @Option(name = "cache-ttl", description = "Seconds an answer is kept.", defaultValue = "3600")
    private long cacheTtl;
    @Option(name = "batch-timeout", description = "Milliseconds one batch may spend on this lookup in total; "
            + "records whose call has not finished by then are NOT_ENRICHED.", defaultValue = "5000")
    private long batchTimeout;
    private LookupCounter counter = LookupCounter.NONE;
    private HttpLookups lookups;
    private final Clock clock;

    private CanonicalField keyField;
    private ResponseFields answerFields;
    private LookupCache<LookupAnswer> cache;

    public HttpLookup() {
        this(Clock.systemUTC());
    }

    HttpLookup(Clock clock) {
        this.clock = clock;
    }

    /** Checks the parameters, builds the cache and makes the lookup known to the enrich stage. */
    public void init() {
        configure();
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("lookup name '" + name + "': expected kebab-case, e.g. segment or credit-score");
        }
        Matcher placeholder = PLACEHOLDER.matcher(url == null ? "" : url);
        if (url == null || !(url.startsWith("http://") || url.startsWith("https://")) || !placeholder.find()) {
            throw new IllegalArgumentException("lookup " + name + ": url must be http(s) with the key field in braces,"
                    + " e.g. https://segments.example.com/v1/customers?phone={phone}");
        }
        try {
            keyField = CanonicalField.of(placeholder.group(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("lookup " + name + ": url placeholder {" + placeholder.group(1) + "}: " + e.getMessage(), e);
        }
        if (placeholder.find()) {
            throw new IllegalArgumentException("lookup " + name + ": url must name one key field, not several");
        }
        if (batchTimeout < 1) {
            throw new IllegalArgumentException("lookup " + name + ": batch-timeout must be at least 1 ms");
        }
        try {
            answerFields = ResponseFields.parse(fields);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("lookup " + name + ": " + e.getMessage(), e);
        }
        cache = new LookupCache<>(cacheSize, Duration.ofSeconds(cacheTtl), clock);
        if (lookups != null) {
            lookups.register(this);
        }
    }

    /** The calls a batch needs: its distinct keys that are not cached; the cached ones already answered. */
    public LookupCalls plan(CheckedBatch batch) {
        Set<String> keys = new LinkedHashSet<>();
        Map<String, LookupAnswer> cached = new LinkedHashMap<>();
        for (CheckedRecord record : batch.accepted()) {
            String key = key(record.customer());
            if (key != null && !cached.containsKey(key)) {
                LookupAnswer answer = cache.get(key);
                if (answer != null) {
                    cached.put(key, answer);
                } else {
                    keys.add(key);
                }
            }
        }
        return new LookupCalls(new ArrayList<>(keys), cached, clock.instant().plusMillis(batchTimeout), clock);
    }

    /** The URL to call for {@code key}, the key URL-encoded (it is personal data: never log it). */
    public String uri(String key) {
        String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
        return url.replace("{" + keyField.key() + "}", encoded);
    }

    /** The service answered {@code key} with {@code status} and {@code body}. */
    public void answered(LookupCalls calls, String key, Integer status, String body) {
        LookupAnswer answer = interpret(status == null ? 0 : status, body);
        counter.call(name, answer.outcome().tag());
        if (answer.cacheable()) {
            cache.put(key, answer);
        }
        calls.answer(key, answer);
    }

    /** The call for {@code key} got no answer (timeout, connection refused, ...). */
    public void failed(LookupCalls calls, String key, Throwable failure) {
        LookupAnswer answer = LookupAnswer.of(failure);
        counter.call(name, answer.outcome().tag());
        calls.answer(key, answer);
    }

    /** Every accepted record with this lookup's outcome added; rejections and counts pass unchanged. */
    public CheckedBatch apply(CheckedBatch batch, LookupCalls calls) {
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        List<CheckedRecord> accepted = new ArrayList<>(batch.accepted().size());
        for (CheckedRecord record : batch.accepted()) {
            String key = key(record.customer());
            LookupAnswer answer = key == null
                    ? LookupAnswer.failed(Outcome.SKIPPED, "no " + keyField.key())
                    : calls.answer(key);
            if (answer == null) {
                answer = LookupAnswer.failed(Outcome.BATCH_TIMEOUT, "timeout: batch budget of " + batchTimeout + " ms spent");
            }
            outcomes.merge(answer.outcome(), 1, Integer::sum);
            accepted.add(record.enrichedWith(enrichment(answer)));
        }
        outcomes.forEach((outcome, count) -> counter.records(name, outcome.tag(), count));
        int failed = accepted.size() - outcomes.getOrDefault(Outcome.FOUND, 0) - outcomes.getOrDefault(Outcome.SKIPPED, 0);
        if (failed > 0) {
            // counts only: keys and URLs are personal data
            Map<String, Integer> byTag = new LinkedHashMap<>();
            outcomes.forEach((outcome, count) -> byTag.put(outcome.tag(), count));
            LOG.warn("{}: lookup {} left {} of {} records not enriched {}", batch.source(), name, failed,
                    accepted.size(), byTag);
        }
        return new CheckedBatch(batch.source(), accepted, batch.rejected(), batch.duplicates());
    }

    private Enrichment enrichment(LookupAnswer answer) {
        return switch (answer.outcome()) {
            case FOUND -> Enrichment.enriched(answer.attributes());
            case SKIPPED -> Enrichment.skipped(name + ": " + answer.reason());
            default -> Enrichment.notEnriched(name + ": " + answer.reason());
        };
    }

    /** 2xx with JSON: the declared fields (none of them = not found); 404/410 not found; anything else an error. */
    LookupAnswer interpret(int status, String body) {
        if (status == 404 || status == 410 || status == 204) {
            return LookupAnswer.failed(Outcome.NOT_FOUND, "not found");
        }
        if (status < 200 || status > 299) {
            return LookupAnswer.failed(Outcome.HTTP_ERROR, "HTTP " + status);
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(body == null ? "" : body);
        } catch (IOException e) {
            return LookupAnswer.failed(Outcome.INVALID, "invalid response (not JSON)");
        }
        if (tree == null || tree.isMissingNode() || !tree.isContainerNode()) {
            return LookupAnswer.failed(Outcome.INVALID, "invalid response (not a JSON object)");
        }
        Map<String, String> attributes = answerFields.extract(tree);
        return attributes.isEmpty()
                ? LookupAnswer.failed(Outcome.NOT_FOUND, "not found (no declared field in the answer)")
                : LookupAnswer.found(attributes);
    }

    /** The record's value of the key field, or null when it has none. */
    String key(CustomerRecord record) {
        String value = keyField.textOf(record);
        return value == null || value.isBlank() ? null : value;
    }

    public String getName() {
        return name;
    }

    public void setCounter(LookupCounter counter) {
        this.counter = counter;
    }

    public void setLookups(HttpLookups lookups) {
        this.lookups = lookups;
    }
}
