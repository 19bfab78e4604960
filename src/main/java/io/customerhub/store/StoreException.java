package io.customerhub.store;

/** The store could not do what it was asked; whatever the call had written is rolled back. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
