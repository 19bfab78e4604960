package io.customerhub.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.support.LoggingExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file sources' handler of errors after an exchange ({@code onCompletionExceptionHandler} of the file consumer), when the
 * file is archived. A file that vanished from the inbox while it was read (deleted or moved away by another program;
 * its records were read from the open file and stored) cannot be moved to {@code done/}: that is said in one line,
 * with a reason file in {@code failed/<source>/} and the file counted as failed, instead of an archiving error with
 * its stack trace. Any other error is logged as Camel logs it.
 */
public final class FileCommitErrors implements ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(FileCommitErrors.class);

    private final Path dataDir;
    private final IngestStatistics statistics;
    private final ExceptionHandler others;

    public FileCommitErrors(Path dataDir, IngestStatistics statistics, CamelContext context) {
        this.dataDir = dataDir;
        this.statistics = statistics;
        this.others = new LoggingExceptionHandler(context, FileCommitErrors.class);
    }

    @Override
    public void handleException(Throwable exception) {
        others.handleException(exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        others.handleException(message, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        String source = exchange == null ? null : exchange.getProperty("hubSource", String.class);
        String path = exchange == null ? null : exchange.getIn().getHeader(Exchange.FILE_PATH, String.class);
        if (source == null || path == null || Files.exists(Path.of(path))) {
            others.handleException(message, exchange, exception);
            return;
        }
        String name = Path.of(path).getFileName().toString();
        String reason = "the file vanished from the inbox while it was read (deleted or moved by another program);"
                + " the records read from it were stored or quarantined, and nothing of it is archived in done/";
        LOG.warn("{}: file {}: {}", source, name, reason);
        try {
            Path failed = Files.createDirectories(dataDir.resolve("failed").resolve(source));
            Files.writeString(failed.resolve(exchange.getProperty("hubArchivedName", name, String.class) + ".reason.txt"),
                    reason, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("{}: could not write the reason for vanished file {}: {}", source, name, e.getMessage());
        }
        statistics.fileFailed(source);
    }
}
