package io.customerhub.store;

/**
 * The store itself failed (unreachable, closed, out of disk space), not the call: the same call succeeds once the
 * store is back ({@link StoreHealth}).
 */
public class StoreUnavailableException extends StoreException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
