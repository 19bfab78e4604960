package io.customerhub.ops;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeFailedEvent;
import org.apache.camel.support.EventNotifierSupport;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Remembers the first top-level exchange that failed unhandled (a file whose batch could not be
 * stored, say), so {@code --once} can stop with a non-zero exit instead of retrying forever.
 */
public final class FailedExchangeRecorder extends EventNotifierSupport {

    private final AtomicReference<String> first = new AtomicReference<>();

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeFailedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((ExchangeFailedEvent) event).getExchange();
        if (exchange.getProperty(Exchange.SPLIT_INDEX) != null) {
            return; // a split part; its parent exchange reports the failure
        }
        Exception cause = exchange.getException();
        String file = exchange.getIn().getHeader(Exchange.FILE_NAME, String.class);
        first.compareAndSet(null, "route " + exchange.getFromRouteId()
                + (file != null ? " failed on file " + file : " failed")
                + ": " + (cause != null ? cause.getMessage() : "unknown error"));
    }

    /** The first failure, or null when none happened. */
    public String first() {
        return first.get();
    }
}
