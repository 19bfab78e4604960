package io.customerhub.connect;

/**
 * A {@link Secret} that was readable when its route was created can no longer be read: its
 * environment variable is gone or its file unreadable (or, for a required secret, blank). The
 * message names the system, the parameter and the variable or file, never the value.
 */
public final class SecretReadException extends RuntimeException {

    SecretReadException(String message) {
        super(message);
    }
}
