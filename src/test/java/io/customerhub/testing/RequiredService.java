package io.customerhub.testing;

import org.junit.jupiter.api.Assumptions;
import org.opentest4j.TestAbortedException;

/**
 * What a test does when a service it needs (PostgreSQL, MariaDB, test data) is not there: on a
 * developer's machine it is skipped with the reason; in CI ({@code CI=true}) it fails, so that a
 * missing service can never turn a red build green.
 */
public final class RequiredService {

    private RequiredService() {
    }

    /** Skips the calling test, or fails it in CI; never returns normally. */
    public static TestAbortedException missing(String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(why + " (CI=true: a test that needs it fails instead of skipping)");
        }
        Assumptions.abort(why);
        throw new TestAbortedException(why);
    }
}
