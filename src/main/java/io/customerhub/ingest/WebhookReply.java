package io.customerhub.ingest;

/**
 * The HTTP answer to one webhook request: a status code and a short JSON body.
 *
 * @param status     the HTTP status code
 * @param json       the response body, a JSON object
 * @param retryAfter seconds the sender should wait before sending again (the Retry-After header), or null
 */
public record WebhookReply(int status, String json, Integer retryAfter) {

    public WebhookReply(int status, String json) {
        this(status, json, null);
    }
}
