package io.customerhub.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns a file's bytes into text: a byte-order mark picks (and is stripped from) the encoding,
 * otherwise the configured charset applies; undecodable bytes raise an error rather than turning
 * silently into replacement characters that would then be stored as customer data.
 */
final class TextInput {

    private TextInput() {
    }

    static Reader open(InputStream in, Charset charset) throws IOException {
        BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, 65536);
        buffered.mark(3);
        int b0 = buffered.read();
        int b1 = buffered.read();
        int b2 = buffered.read();
        buffered.reset();
        Charset actual = charset;
        int skip = 0;
        if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) {
            actual = StandardCharsets.UTF_8;
            skip = 3;
        } else if (b0 == 0xFE && b1 == 0xFF) {
            actual = StandardCharsets.UTF_16BE;
            skip = 2;
        } else if (b0 == 0xFF && b1 == 0xFE) {
            actual = StandardCharsets.UTF_16LE;
            skip = 2;
        }
        buffered.skipNBytes(skip);
        return new StrictReader(buffered, actual.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    /**
     * Decodes like {@link java.io.InputStreamReader}, except that the text before a bad byte is
     * handed out before the error is raised, so the records before it are still read and the
     * error lands on the record that holds the bad byte.
     */
    private static final class StrictReader extends Reader {

        private final InputStream in;
        private final CharsetDecoder decoder;
        private final ByteBuffer bytes = ByteBuffer.allocate(16384).flip();
        private CharacterCodingException pending;
        private boolean eof;
        private boolean finished;

        StrictReader(InputStream in, CharsetDecoder decoder) {
            this.in = in;
            this.decoder = decoder;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            if (pending != null) {
                throw pending;
            }
            if (length == 0) {
                return 0;
            }
            if (finished) {
                return -1;
            }
            CharBuffer out = CharBuffer.wrap(buffer, offset, length);
            while (true) {
                CoderResult result = decoder.decode(bytes, out, eof);
                if (result.isError()) {
                    try {
                        result.throwException();
                    } catch (CharacterCodingException e) {
                        if (out.position() == offset) {
                            throw e;
                        }
                        pending = e;
                        return out.position() - offset;
                    }
                }
                if (result.isOverflow()) {
                    return out.position() - offset;
                }
                if (eof) {
                    decoder.flush(out);
                    finished = true;
                    return out.position() > offset ? out.position() - offset : -1;
                }
                if (out.position() > offset && in.available() == 0) {
                    return out.position() - offset;
                }
                bytes.compact();
                int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                if (n < 0) {
                    eof = true;
                } else {
                    bytes.position(bytes.position() + n);
                }
                bytes.flip();
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
