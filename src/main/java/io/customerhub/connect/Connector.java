package io.customerhub.connect;

/**
 * A declared system the hub reads or writes (a source's reader, a sync target's writer), as the {@code check} and
 * {@code discover} commands try it before, or while, the hub runs.
 */
public interface Connector {

    /** The declaration's source name. */
    String system();

    /**
     * Connects as the hub does, with the declared credentials, and reads which fields the system offers, to compare
     * them with those the mapping names. Never throws: a failure is the probe's outcome.
     */
    Probe probe();
}
