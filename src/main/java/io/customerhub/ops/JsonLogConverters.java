package io.customerhub.ops;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * Logback converters for JSON log lines ({@code logback-json.xml}, chosen with {@code HUB_LOG_FORMAT=json}): the
 * message, the stack trace and the thread as the inside of a JSON string, personal data masked as on the console.
 */
public final class JsonLogConverters {

    private JsonLogConverters() {
    }

    static String quoted(String text) {
        return text == null ? "" : new String(JsonStringEncoder.getInstance().quoteAsString(text));
    }

    /** {@code %jsonMsg}: the masked message. */
    public static final class Message extends ClassicConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return quoted(PersonalDataMasker.mask(event.getFormattedMessage()));
        }
    }

    /** {@code %jsonThread}: the thread's name. */
    public static final class Thread extends ClassicConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return quoted(event.getThreadName());
        }
    }

    /** {@code %jsonEx}: the masked stack trace, empty without one. */
    public static final class Stack extends ThrowableProxyConverter {
        @Override
        protected String throwableProxyToString(IThrowableProxy proxy) {
            return quoted(PersonalDataMasker.mask(super.throwableProxyToString(proxy)));
        }
    }
}
