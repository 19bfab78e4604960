package io.customerhub.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.customerhub.connect.FileFormat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;

/**
 * JSON records, streamed one object at a time: the elements of a root array, the elements of the
 * array at a dotted record path inside a document, or NDJSON (one object per line), told apart by
 * the first character. NDJSON is read line by line so that one bad line costs only that line.
 */
final class JsonRows implements RowSource {

    /** Numbers keep the digits they were written with (1.10 stays 1.10), as they are raw values. */
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();

    /** An NDJSON line must hold one value and nothing after it. */
    private static final ObjectReader LINE = MAPPER.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final FileFormat settings;
    private final String origin;
    private final BufferedReader reader;
    private final JsonParser parser;
    /** Jackson counts lines from where it starts reading; this is how many came before. */
    private long skippedLines;
    private long line;
    private boolean done;

    JsonRows(Reader text, FileFormat settings, String origin) throws IOException {
        this.settings = settings;
        this.origin = origin;
        this.reader = new BufferedReader(text, 65536);
        int first = firstCharacter();
        if (first < 0) {
            parser = null;
            done = true;
        } else if (!settings.recordPath().isEmpty()) {
            parser = MAPPER.createParser(reader);
            openRecordPath();
        } else if (first == '[') {
            parser = MAPPER.createParser(reader);
            expectStart(JsonToken.START_ARRAY, "a JSON array");
        } else if (first == '{') {
            parser = null;
            line = skippedLines;
        } else {
            throw new UnreadableFileException("not JSON: the file starts with '" + (char) first + "' instead of [ or {");
        }
    }

    private int firstCharacter() throws IOException {
        try {
            while (true) {
                reader.mark(1);
                int c = reader.read();
                if (c < 0 || !Character.isWhitespace(c)) {
                    if (c >= 0) {
                        reader.reset();
                    }
                    return c;
                }
                if (c == '\n') {
                    skippedLines++;
                }
            }
        } catch (CharacterCodingException e) {
            throw new UnreadableFileException("not " + settings.charset().name() + " text: " + e, e);
        }
    }

    private void openRecordPath() throws IOException {
        try {
            expectStart(JsonToken.START_OBJECT, "a JSON object holding recordPath '" + settings.recordPath() + "'");
            String[] segments = settings.recordPath().split("\\.");
            for (int i = 0; i < segments.length; i++) {
                boolean last = i == segments.length - 1;
                if (!findField(segments[i])) {
                    throw new UnreadableFileException("recordPath '" + settings.recordPath() + "' not found: no field '" + segments[i] + "'");
                }
                JsonToken token = parser.nextToken();
                JsonToken wanted = last ? JsonToken.START_ARRAY : JsonToken.START_OBJECT;
                if (token != wanted) {
                    throw new UnreadableFileException("recordPath '" + settings.recordPath() + "': '" + segments[i]
                            + "' is not " + (last ? "an array" : "an object"));
                }
            }
        } catch (JsonProcessingException e) {
            throw new UnreadableFileException("not JSON: " + e.getOriginalMessage() + " at line " + lineOf(e), e);
        }
    }

    /** Moves to the value of field {@code name} in the current object, skipping the others. */
    private boolean findField(String name) throws IOException {
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            if (parser.currentName().equals(name)) {
                return true;
            }
            parser.nextToken();
            parser.skipChildren();
        }
        return false;
    }

    private void expectStart(JsonToken wanted, String what) throws IOException {
        try {
            if (parser.nextToken() != wanted) {
                throw new UnreadableFileException("not " + what + " at line " + (skippedLines + parser.currentTokenLocation().getLineNr()));
            }
        } catch (JsonProcessingException e) {
            throw new UnreadableFileException("not JSON: " + e.getOriginalMessage(), e);
        } catch (CharacterCodingException e) {
            throw new UnreadableFileException("not " + settings.charset().name() + " text: " + e, e);
        }
    }

    @Override
    public Row next() throws IOException {
        if (done) {
            return null;
        }
        return parser == null ? nextLine() : nextElement();
    }

    private Row nextElement() throws IOException {
        long start = line;
        try {
            JsonToken token = parser.nextToken();
            start = skippedLines + parser.currentTokenLocation().getLineNr();
            if (token == JsonToken.END_ARRAY || token == null) {
                done = true;
                return null;
            }
            JsonNode tree = MAPPER.readTree(parser);
            if (tree == null) {
                tree = NullNode.getInstance();
            }
            line = skippedLines + parser.currentLocation().getLineNr();
            return tree.isObject() ? Row.of(start, tree, tree.toString())
                    : Row.unreadable(start, tree.toString(), "expected a JSON object, found " + kind(tree));
        } catch (JsonProcessingException e) {
            done = true;
            return Row.rest(lineOf(e), origin, "JSON syntax error: " + e.getOriginalMessage());
        } catch (CharacterCodingException e) {
            done = true;
            return Row.rest(start, origin, "bytes that are not valid " + settings.charset().name() + " text");
        }
    }

    private Row nextLine() throws IOException {
        String text;
        do {
            try {
                text = reader.readLine();
            } catch (CharacterCodingException e) {
                done = true;
                return Row.rest(line + 1, origin, "bytes that are not valid " + settings.charset().name() + " text");
            }
            if (text == null) {
                done = true;
                return null;
            }
            line++;
        } while (text.isBlank());
        JsonNode tree;
        try {
            tree = LINE.readValue(text);
        } catch (JsonProcessingException e) {
            return Row.unreadable(line, JsonText.quote(text), "not a JSON object: " + e.getOriginalMessage());
        }
        if (tree == null) {
            tree = NullNode.getInstance();
        }
        return tree.isObject() ? Row.of(line, tree, tree.toString())
                : Row.unreadable(line, tree.toString(), "expected a JSON object, found " + kind(tree));
    }

    private long lineOf(JsonProcessingException e) {
        return e.getLocation() == null ? line : skippedLines + e.getLocation().getLineNr();
    }

    private static String kind(JsonNode tree) {
        return switch (tree.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> tree.getNodeType().name().toLowerCase();
        };
    }

    @Override
    public void close() throws IOException {
        if (parser != null) {
            parser.close();
        }
        reader.close();
    }
}
