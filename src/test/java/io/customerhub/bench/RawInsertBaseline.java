package io.customerhub.bench;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;

/**
 * The yardstick the benchmarks divide by: CSV files parsed and their raw values batch-inserted
 * (1000 a batch, one commit a batch) into one plain H2 file table, no cleansing, no matching. It
 * is measured in the same run as the hub, on the same rows, so that a ratio to it stays
 * comparable on a busy machine when absolute rates do not.
 */
final class RawInsertBaseline {

    private RawInsertBaseline() {
    }

    /**
     * The best of {@code runs} measurements, each into a fresh database under {@code dir}: on
     * small inputs one run is mostly JIT warm-up, and the least disturbed run is the yardstick.
     */
    static double bestRowsPerSecond(List<Path> csvFiles, Path dir, int runs) throws Exception {
        double best = 0;
        for (int run = 0; run < runs; run++) {
            best = Math.max(best, rowsPerSecond(csvFiles, dir.resolve("run-" + run)));
        }
        return best;
    }

    /** Rows per second for all rows of {@code csvFiles} (same header each; the first column unique), H2 files under {@code dir}. */
    static double rowsPerSecond(List<Path> csvFiles, Path dir) throws Exception {
        int columns;
        try (Reader reader = Files.newBufferedReader(csvFiles.get(0), StandardCharsets.UTF_8)) {
            columns = CSVFormat.DEFAULT.parse(reader).iterator().next().size();
        }
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("raw") + ";WRITE_DELAY=0", "sa", "")) {
            StringBuilder ddl = new StringBuilder("CREATE TABLE raw_row (c0 VARCHAR PRIMARY KEY");
            for (int i = 1; i < columns; i++) {
                ddl.append(", c").append(i).append(" VARCHAR");
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute(ddl.append(')').toString());
            }
            connection.setAutoCommit(false);
            String insert = "INSERT INTO raw_row VALUES (" + String.join(",", Collections.nCopies(columns, "?")) + ")";
            long start = System.nanoTime();
            int count = 0;
            try (PreparedStatement statement = connection.prepareStatement(insert)) {
                for (Path csv : csvFiles) {
                    try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
                        for (CSVRecord record : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
                            for (int i = 0; i < columns; i++) {
                                statement.setString(i + 1, record.get(i));
                            }
                            statement.addBatch();
                            if (++count % 1000 == 0) {
                                statement.executeBatch();
                                connection.commit();
                            }
                        }
                    }
                }
                statement.executeBatch();
                connection.commit();
            }
            return count / ((System.nanoTime() - start) / 1e9);
        }
    }
}
