package io.customerhub.ingest;

import java.io.Closeable;
import java.io.IOException;

/** The records of one file in one format, read one at a time. */
interface RowSource extends Closeable {

    /** The next record, or null at the end of the file. */
    Row next() throws IOException;
}
