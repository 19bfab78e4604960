package io.customerhub.ops;

/**
 * The hub's operations for operators and data stewards, as the MBean {@value HubControl#OBJECT_NAME}: over JMX
 * (jconsole, any JMX client), over HTTP through Jolokia on the management server ({@code /observe/jolokia}, what
 * Hawtio attaches to, and what the command line and the status page call). Every operation returns a line, or JSON,
 * saying what it did; a wrong name or id is an error naming it.
 */
public interface HubControlMBean {

    /** The hub as JSON: per source its routes' states, records by outcome, last success, watermark, quarantine, outbox. */
    String getStatus();

    /**
     * Data-quality figures per source as JSON: per field completeness and invalid values, duplicate rate, last change
     * (one pass over the stored records, so read at most every 30 s).
     */
    String getDataQuality();

    /** The home folder the hub runs from: what a command line of another home's hub must not act on. */
    String getHome();

    long getGoldenRecords();

    long getOpenQuarantine();

    long getOpenReviews();

    /** Suspends the source's ingest route and its sync route: nothing is read from it or written to it until resumed. */
    String pause(String source);

    /** Resumes what {@link #pause} suspended. */
    String resume(String source);

    /**
     * Reloads {@code routes/sources/}: every file checked first (an error changes nothing and names file and line), then
     * only the routes of changed, new and deleted files are replaced, added or removed.
     */
    String reload();

    /** Forgets a polled source's watermark: its next poll reads it from the start. */
    String reread(String source);

    /** Replays the open quarantine entries of one source (blank: of every source) through today's cleansing and rules. */
    String replayQuarantine(String source);

    /** Replays one quarantine entry. */
    String replayQuarantineEntry(long id);

    /** Why a golden record looks as it does, as JSON. */
    String explain(String goldenId);

    /** Merges the second golden record into the first. */
    String merge(String goldenId, String otherGoldenId);

    /** Splits a golden record into one per source record. */
    String unmerge(String goldenId);

    /** Takes one source record out of its golden record. */
    String unmergeRecord(String source, String sourceKey);

    /** Accepts (true) or rejects (false) a match review. */
    String review(long reviewId, boolean accept);

    /** Settles a held sync conflict with the owner's value ("owner") or the other system's ("other"). */
    String settle(long conflictId, String side);

    /**
     * Match weights learned from the stored records without labels: per field and comparison level, m, u, the learned
     * bits and the configured ones, as a table.
     */
    String estimateWeights();

    /**
     * Connects to each declared source and sync target ({@code system}, or all when empty) with its credentials: per
     * system, reachable, authenticated, and whether the fields its mapping names exist.
     *
     * @throws IllegalStateException with the report when any system has a problem
     */
    String check(String system);

    /** The fields source {@code system} offers (columns, JSON keys, a CSV header), one per line, for writing a mapping. */
    String discover(String system);

    /** Sends every active golden record to a sync target again, whatever the hub believes the target holds. */
    String reexport(String target);

    /** Puts a target's dead outbox rows back for delivery. */
    String retryDead(String target);
}
