package io.customerhub.store;

import java.util.Objects;

/**
 * Where the central store lives and how many connections the hub may hold to it.
 *
 * @param url      JDBC URL, e.g. {@code jdbc:h2:file:./data/store/hub} or {@code jdbc:postgresql://db/hub}
 * @param user     database user
 * @param password database password; never printed (see {@link #toString()})
 * @param poolSize the most connections the pool opens
 */
public record StoreSettings(String url, String user, String password, int poolSize) {

    public StoreSettings {
        Objects.requireNonNull(url, "url");
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
        }
    }

    /** Masks the password, so that settings can be logged. */
    @Override
    public String toString() {
        return "StoreSettings[url=" + url + ", user=" + user + ", password=***, poolSize=" + poolSize + "]";
    }
}
