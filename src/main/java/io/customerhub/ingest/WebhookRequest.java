package io.customerhub.ingest;

import io.customerhub.record.SourceRecord;

import java.util.List;

/**
 * One webhook request after the {@link WebhookIntake} looked at it: either answered already
 * (refused, or holding no record) or carrying its records for the pipeline.
 *
 * @param id      the request id: the sender's {@code X-Request-Id} when it is a plain token,
 *                otherwise generated; part of the records' origin and of every answer
 * @param records the records of the body, unparseable ones included, in body order
 * @param errors  why records could not be parsed, one per unparseable record
 * @param reply   the answer when the request does not go through the pipeline, or null
 */
public record WebhookRequest(String id, List<SourceRecord> records, List<String> errors, WebhookReply reply) {

    public WebhookRequest {
        records = List.copyOf(records);
        errors = List.copyOf(errors);
    }

    /** True when the answer is known without storing anything: a refusal, or a body without records. */
    public boolean answered() {
        return reply != null;
    }
}
