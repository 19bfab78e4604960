package io.customerhub.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
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
        return new InputStreamReader(buffered, actual.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
    }
}
