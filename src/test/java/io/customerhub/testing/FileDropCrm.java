package io.customerhub.testing;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A CRM that exchanges files with the hub, as a file-drop CRM does: every {@code cycle} it imports the
 * hub's export files from {@code data/outbox/crm/} (an upsert by key, the files then moved to
 * {@code data/crm-imported/}), and exports the records changed since its last export, by its users or
 * by an import, as one CSV file dropped into {@code data/inbox/crm/} (written aside, then renamed).
 * So the hub's own writes come back as echoes, as with a real CRM whose export lists every changed
 * record. Its clock is the machine's; {@code 更新时间} is written in {@code zone}, to the millisecond.
 * Its import is optimistic: a row whose {@code 基于} (the record's change time as the hub last read it) is
 * older than the record's change time is skipped, so an edit not yet exported is not overwritten.
 */
public final class FileDropCrm implements AutoCloseable {

    /** The CRM's columns: the key, the fields, the change time. */
    public static final String HEADER = "客户编号,姓名,手机,邮箱,城市,更新时间";
    /** The column of an imported row that says which change of its record it was based on (file-sync's based-on-column). */
    public static final String BASED_ON = "基于";
    /** The field mapping of the CRM's file-source and file-sync routes. */
    public static final String MAPPING = """
            key: 客户编号
            updated-at: 更新时间
            fields:
              fullName: 姓名
              phone: 手机
              email: 邮箱
              city: 城市
              country: { constant: CN }
            """;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    /**
     * A file of the hub's imported: when it was written (its modification time), when imported, its name, its
     * rows by key, and the keys of the rows skipped (their record changed after the change they were based on).
     */
    public record Import(Instant written, Instant at, String file, Map<String, Map<CustomerField, String>> rows,
                         Set<String> skipped) {
    }

    private final HubHome home;
    private final ZoneId zone;
    private final Map<String, Map<CustomerField, String>> records = new LinkedHashMap<>();
    private final Map<String, Instant> changedAt = new LinkedHashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();
    private final List<Import> imports = new ArrayList<>();
    private final AtomicInteger cycles = new AtomicInteger();
    private final AtomicInteger exports = new AtomicInteger();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "file-drop-crm");
        thread.setDaemon(true);
        return thread;
    });
    private volatile RuntimeException failure;

    public FileDropCrm(HubHome home, ZoneId zone) {
        this.home = home;
        this.zone = zone;
    }

    /** Adds a record of the CRM's own (before {@link #start}). */
    public synchronized void add(String key, Map<CustomerField, String> values) {
        records.put(key, new LinkedHashMap<>(values));
        changedAt.put(key, now());
        changed.add(key);
    }

    /** Exports every record it holds (its first export), then runs its cycle every {@code cycle}. */
    public void start(Duration cycle) {
        exportChanged();
        timer.scheduleWithFixedDelay(this::cycle, cycle.toMillis(), cycle.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A user of the CRM changes one field of a record (exported in the next cycle); returns the value it held before. */
    public synchronized String edit(String key, CustomerField field, String value) {
        Map<CustomerField, String> record = records.get(key);
        if (record == null) {
            throw new IllegalArgumentException("no CRM record " + key);
        }
        String before = record.put(field, value);
        changedAt.put(key, now());
        changed.add(key);
        return before;
    }

    /** A user changes one field of a record and the CRM exports it at once; returns when the file was dropped. */
    public synchronized Instant editAndExport(String key, CustomerField field, String value) {
        edit(key, field, value);
        return exportChanged();
    }

    /** Exports what changed now, not at the next cycle; returns when the file was dropped, or null when nothing changed. */
    public synchronized Instant exportChanged() {
        if (changed.isEmpty()) {
            return null;
        }
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (String key : changed) {
            Map<CustomerField, String> record = records.get(key);
            csv.append(key);
            for (CustomerField field : CustomerField.values()) {
                csv.append(',').append(cell(record.get(field)));
            }
            csv.append(',').append(LocalDateTime.ofInstant(changedAt.get(key), zone).format(TIME)).append("\r\n");
        }
        changed.clear();
        home.drop("crm", String.format("crm-export-%06d.csv", exports.incrementAndGet()), csv.toString().getBytes(StandardCharsets.UTF_8));
        return Instant.now();
    }

    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        return value.contains(",") || value.contains("\"") ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    /** The records by key. */
    public synchronized Map<String, Map<CustomerField, String>> records() {
        Map<String, Map<CustomerField, String>> copy = new LinkedHashMap<>();
        records.forEach((key, values) -> copy.put(key, new LinkedHashMap<>(values)));
        return copy;
    }

    /** The hub's files imported so far, in order. */
    public synchronized List<Import> imports() {
        return List.copyOf(imports);
    }

    /** Files the hub has written to the CRM: those imported and those waiting in its folder. */
    public synchronized int hubFiles() {
        return imports.size() + waiting().size();
    }

    /** Completed cycles (import, then export). */
    public int cycles() {
        return cycles.get();
    }

    private void cycle() {
        try {
            synchronized (this) {
                for (Path file : waiting()) {
                    importFile(file);
                }
                exportChanged();
            }
            cycles.incrementAndGet();
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    /** The hub's export files not yet imported, oldest first (hidden temporary files excluded). */
    private List<Path> waiting() {
        Path outbox = home.data("outbox", "crm");
        if (!Files.isDirectory(outbox)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(outbox)) {
            return files.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparingLong(FileDropCrm::changeSeq)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first outbox id in the name of a file of the hub ({@code crm-<time>-<id>.csv}). */
    private static long changeSeq(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(name.lastIndexOf('-') + 1, name.indexOf('.')));
    }

    private void importFile(Path file) {
        Map<String, Map<CustomerField, String>> rows = new LinkedHashMap<>();
        Set<String> skipped = new LinkedHashSet<>();
        Instant written;
        try {
            written = Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(reader)) {
            for (CSVRecord row : parser) {
                String key = row.get("客户编号");
                Map<CustomerField, String> values = new LinkedHashMap<>();
                for (CustomerField field : CustomerField.values()) {
                    if (row.isMapped(field.crmHeader())) {
                        String value = row.get(field.crmHeader());
                        values.put(field, value.isEmpty() ? null : value);
                    }
                }
                rows.put(key, values);
                String basedOn = row.isMapped(BASED_ON) ? row.get(BASED_ON) : "";
                if (!basedOn.isEmpty() && changedAt.containsKey(key) && changedAt.get(key).isAfter(Instant.parse(basedOn))) {
                    skipped.add(key);
                    continue;
                }
                Map<CustomerField, String> record = records.computeIfAbsent(key, k -> new LinkedHashMap<>());
                Map<CustomerField, String> before = new LinkedHashMap<>(record);
                record.putAll(values);
                if (!record.equals(before)) {
                    changedAt.put(key, now());
                    changed.add(key);
                }
            }
            Path imported = Files.createDirectories(home.data("crm-imported"));
            Files.move(file, imported.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("import " + file, e);
        }
        imports.add(new Import(written, Instant.now(), file.getFileName().toString(), rows, skipped));
    }

    /** The CRM's clock, to the millisecond it keeps. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Fails with what stopped the cycle, if something did. */
    public void check() {
        if (failure != null) {
            throw new IllegalStateException("the CRM stopped: " + failure, failure);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
