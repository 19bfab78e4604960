package io.customerhub.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.customerhub.connect.FileFormat;
import io.customerhub.mapping.SourcePath;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * XML records: every {@code recordElement} (at any depth, not inside another record) becomes a
 * tree with attributes as {@code @name}, child elements by local name, repeated children as
 * arrays, leaf text as the value, and the text of an element that also has attributes or children
 * under {@code #text}. The document is streamed with StAX; DTDs and external entities are refused,
 * since files arrive from other systems (XXE).
 */
final class XmlRows implements RowSource {

    static final String TEXT = SourcePath.TEXT;
    /** Elements a record may nest (its own included): customer data needs a few; a deeper record is unreadable. */
    static final int MAX_DEPTH = 64;

    private static final XMLInputFactory FACTORY = factory();

    private final FileFormat settings;
    private final String origin;
    private final InputStream in;
    private final XMLStreamReader xml;
    private boolean atRecord;
    private boolean done;
    /** Elements open inside the record being read, the record's own included. */
    private int depth;

    XmlRows(InputStream input, FileFormat settings, String origin) throws IOException {
        this.settings = settings;
        this.origin = origin;
        BufferedInputStream buffered = new BufferedInputStream(input, 65536);
        this.in = buffered;
        try {
            // the document's own declaration (or byte-order mark) names its encoding; the setting is the fallback
            xml = declaresEncoding(buffered)
                    ? FACTORY.createXMLStreamReader(buffered)
                    : FACTORY.createXMLStreamReader(TextInput.open(buffered, settings.charset()));
            atRecord = advance();
        } catch (XMLStreamException e) {
            throw new UnreadableFileException("not XML: " + message(e) + " at line " + lineOf(e), e);
        } catch (UnreadableFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UnreadableFileException("not XML: " + parserFailure(e), e);
        }
        done = !atRecord;
    }

    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }

    private static boolean declaresEncoding(BufferedInputStream in) throws IOException {
        in.mark(512);
        byte[] head = in.readNBytes(512);
        in.reset();
        if (head.length >= 2 && ((head[0] & 0xFF) == 0xFE || (head[0] & 0xFF) == 0xFF || (head[0] & 0xFF) == 0xEF)) {
            return true;
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("?>");
        return text.startsWith("<?xml") && end > 0 && text.substring(0, end).contains("encoding");
    }

    /** Moves to the start of the next record element; false at the end of the document. */
    private boolean advance() throws XMLStreamException {
        while (xml.hasNext()) {
            if (xml.next() == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals(settings.recordElement())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Row next() {
        if (done) {
            return null;
        }
        long start = xml.getLocation().getLineNumber();
        try {
            if (!atRecord && !advance()) {
                done = true;
                return null;
            }
            atRecord = false;
            start = xml.getLocation().getLineNumber();
            depth = 0;
            JsonNode element;
            try {
                element = element();
            } catch (TooDeep e) {
                skipRecord();
                StringBuilder payload = new StringBuilder("{\"origin\":");
                JsonText.quote(payload, origin);
                payload.append(",\"line\":").append(start).append('}');
                return Row.unreadable(start, payload.toString(), "the record nests elements deeper than " + MAX_DEPTH + " levels");
            }
            ObjectNode tree;
            if (element instanceof ObjectNode object) {
                tree = object;
            } else {
                tree = JsonNodeFactory.instance.objectNode();
                tree.set(TEXT, element);
            }
            return Row.of(start, tree, tree.toString());
        } catch (XMLStreamException e) {
            done = true;
            return Row.rest(e.getLocation() == null ? start : lineOf(e), origin, "XML syntax error: " + message(e));
        } catch (RuntimeException e) {
            done = true;
            return Row.rest(start, origin, "XML syntax error: " + parserFailure(e));
        }
    }

    /**
     * The JDK's parser fails on some broken documents with an exception of its own instead of a syntax error (a
     * character it cannot report: {@code MissingResourceException: InvalidCharInDTD}); such a document is broken too.
     */
    private static String parserFailure(RuntimeException e) {
        return "the XML parser failed (" + e + ")";
    }

    /** Reads on through the end tag of the record whose elements nest too deeply, without keeping them. */
    private void skipRecord() throws XMLStreamException {
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    /** An element nested deeper than {@link #MAX_DEPTH} inside a record: that record cannot be read, the rest can. */
    private static final class TooDeep extends RuntimeException {
        TooDeep() {
            super(null, null, false, false);
        }
    }

    /** The tree of the element the reader is on, read through its end tag; at most {@link #MAX_DEPTH} levels deep. */
    private JsonNode element() throws XMLStreamException {
        if (++depth > MAX_DEPTH) {
            throw new TooDeep();
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < xml.getAttributeCount(); i++) {
            node.put("@" + xml.getAttributeLocalName(i), xml.getAttributeValue(i));
        }
        StringBuilder text = new StringBuilder();
        while (true) {
            switch (xml.next()) {
                case XMLStreamConstants.START_ELEMENT -> add(node, xml.getLocalName(), element());
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> text.append(xml.getText());
                case XMLStreamConstants.END_ELEMENT -> {
                    depth--;
                    if (node.isEmpty()) {
                        return TextNode.valueOf(text.toString());
                    }
                    if (!text.isEmpty() && !text.toString().isBlank()) {
                        node.put(TEXT, text.toString());
                    }
                    return node;
                }
                default -> {
                    // comments and processing instructions carry no customer data
                }
            }
        }
    }

    private static void add(ObjectNode node, String name, JsonNode child) {
        JsonNode existing = node.get(name);
        if (existing == null) {
            node.set(name, child);
        } else if (existing instanceof ArrayNode repeated) {
            repeated.add(child);
        } else {
            node.set(name, JsonNodeFactory.instance.arrayNode().add(existing).add(child));
        }
    }

    private static String message(XMLStreamException e) {
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf("Message: ");
        return at >= 0 ? message.substring(at + "Message: ".length()).strip() : message.strip();
    }

    private static long lineOf(XMLStreamException e) {
        return e.getLocation() == null ? 1 : e.getLocation().getLineNumber();
    }

    @Override
    public void close() throws IOException {
        try {
            xml.close();
        } catch (XMLStreamException e) {
            // closing the stream below is what matters
        }
        in.close();
    }
}
