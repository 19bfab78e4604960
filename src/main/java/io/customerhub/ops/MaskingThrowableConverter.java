package io.customerhub.ops;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/** Logback {@code %maskedEx}: stack traces with personal data in exception messages masked (SQL errors quote values). */
public final class MaskingThrowableConverter extends ThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
        return PersonalDataMasker.mask(super.throwableProxyToString(proxy));
    }
}
