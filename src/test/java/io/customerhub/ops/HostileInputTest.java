package io.customerhub.ops;

import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The break-it suite's hostile inputs, on the real hub: files an attacker or a broken export would send to a CSV, a
 * JSON and an XML source (truncated, mixed encodings and line endings, unbalanced quotes, giant fields and rows, deep
 * nesting, entity expansion and external entities, injection strings, traversal in keys, blank and duplicate keys),
 * all dropped at once. Every one ends in {@code done/} or in {@code failed/} with its reason; every record of them is
 * stored or quarantined with a rule; no external entity is read; and a good file dropped after them all is stored
 * whole by the same, still running, hub.
 */
@Tag("break-it")
class HostileInputTest {

    private static final String SECRET = "XXE-SECRET-7f3a";
    private static final String MAPPING = """
            key: id
            fields:
              fullName: name
              email: email
              phone: phone
              birthDate: born
            """;

    @TempDir
    Path dir;

    @Test
    void everyHostileFileEndsSomewhereWithItsReasonAndTheHubGoesOn() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), SECRET);
        HubHome home = HubHome.copyOfProject(dir.resolve("home"));
        Files.writeString(home.root().resolve("routes/sources/hostile.camel.yaml"), routes());
        Map<String, byte[]> files = new LinkedHashMap<>();
        csv(files);
        json(files, secret);
        xml(files, secret);
        assertThat(files).as("hostile inputs").hasSizeGreaterThanOrEqualTo(60);

        try (RunningHub hub = RunningHub.start(home, Map.of())) {
            files.forEach((name, content) -> home.drop(source(name), name, content));
            await("every hostile file done or failed").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(List.of("hcsv", "hjson", "hxml").stream()
                            .flatMap(source -> home.files("inbox", source).stream()).toList()).as("files left in the inboxes").isEmpty());
            assertThat(ended(home)).isEqualTo(files.size());
            home.drop("hcsv", "zz-good.csv", good().getBytes(StandardCharsets.UTF_8));
            await("the good file after them").atMost(Duration.ofMinutes(1)).until(() -> hub.query(
                    "SELECT COUNT(*) AS n FROM customer_source WHERE source = 'hcsv' AND source_key LIKE 'GOOD-%'").get(0).get("n").equals(10L));

            for (String source : List.of("hcsv", "hjson", "hxml")) {
                for (Path failed : home.files("failed", source)) {
                    if (!failed.getFileName().toString().endsWith(".reason.txt")) {
                        assertThat(failed.resolveSibling(failed.getFileName() + ".reason.txt")).as("reason of " + failed)
                                .content().isNotBlank();
                    }
                }
            }
            assertThat(hub.query("SELECT COUNT(*) AS n FROM quarantine WHERE rule IS NULL OR reason IS NULL OR reason = ''")
                    .get(0).get("n")).as("every quarantined record has its rule and reason").isEqualTo(0L);
            assertThat(hub.query("SELECT COUNT(*) AS n FROM customer_source WHERE full_name LIKE ? OR given_name LIKE ? OR family_name LIKE ?",
                    "%" + SECRET + "%", "%" + SECRET + "%", "%" + SECRET + "%")
                    .get(0).get("n")).as("no external entity read").isEqualTo(0L);
            assertThat(hub.query("SELECT COUNT(*) AS n FROM quarantine WHERE payload LIKE ?", "%" + SECRET + "%")
                    .get(0).get("n")).as("no external entity read").isEqualTo(0L);
            assertThat(hub.camel().getRouteController().getRouteStatus("hcsv-ingest")).isEqualTo(ServiceStatus.Started);
            System.out.printf("[hostile] %d files and the good one: %d done, %d failed; %d records stored, %d quarantined%n",
                    files.size(), done(home), ended(home) - done(home), hub.query("SELECT COUNT(*) AS n FROM customer_source").get(0).get("n"),
                    hub.query("SELECT COUNT(*) AS n FROM quarantine").get(0).get("n"));
        }
    }

    private static String source(String name) {
        return name.endsWith(".csv") ? "hcsv" : name.endsWith(".json") ? "hjson" : "hxml";
    }

    private static long done(HubHome home) {
        return List.of("hcsv", "hjson", "hxml").stream().mapToLong(source -> home.files("done", source).size()).sum();
    }

    /** Files that left the inbox: read to the end, or failed (their reason files not counted). */
    private static long ended(HubHome home) {
        return done(home) + List.of("hcsv", "hjson", "hxml").stream().mapToLong(source -> home.files("failed", source).stream()
                .filter(file -> !file.getFileName().toString().endsWith(".reason.txt")).count()).sum();
    }

    private static void csv(Map<String, byte[]> files) {
        String header = "id,name,email,phone,born\n";
        Map<String, String> text = new LinkedHashMap<>();
        text.put("truncated-quote", header + "1,\"Zhang Wei,a@b.cn,138,1990-01-02\n2,Li,b@c.cn,139,1991-01-01");
        text.put("unbalanced-quotes", header + "1,Zh\"ang,a@b.cn,138,1990-01-02\n2,\"Li\"x\",b@c.cn,139,1991\n3,Ok,c@d.cn,137,1992-02-02\n");
        text.put("mixed-line-endings", header.replace("\n", "\r\n") + "1,A,a@b.cn,138,1990-01-02\r2,B,b@c.cn,139,1991-01-01\n"
                + "3,C,c@d.cn,137,1992-02-02\r\n");
        text.put("cr-only", header.replace("\n", "\r") + "1,A,a@b.cn,138,1990-01-02\r2,B,b@c.cn,139,1991-01-01\r");
        text.put("nul-bytes", header + "1,Zh\u0000ang,a@b.cn,138,1990-01-02\n\u0000\u0000\u0000\n2,B,b@c.cn,139,1991-01-01\n");
        text.put("control-and-bidi", header + "1,\u001b[31mRed\u001b[0m \u202eevil,a@b.cn,138,1990-01-02\n");
        text.put("giant-field", header + "1," + "W".repeat(3_000_000) + ",a@b.cn,138,1990-01-02\n2,B,b@c.cn,139,1991-01-01\n");
        text.put("giant-row", header + "1,A,a@b.cn,138,1990-01-02" + ",x".repeat(200_000) + "\n2,B,b@c.cn,139,1991-01-01\n");
        StringBuilder wide = new StringBuilder("id,name");
        for (int i = 0; i < 50_000; i++) {
            wide.append(",c").append(i);
        }
        text.put("wide-header", wide + "\n1,A" + ",x".repeat(50_000) + "\n");
        text.put("line-without-end", header + "1,A,a@b.cn,138," + "9".repeat(500_000));
        text.put("blank-keys", header + ",A,a@b.cn,138,1990-01-02\n   ,B,b@c.cn,139,1991-01-01\n3,C,c@d.cn,137,1992-02-02\n");
        text.put("duplicate-keys", header + "1,A,a@b.cn,138,1990-01-02\n1,A2,a2@b.cn,138,1990-01-02\n1,A,a@b.cn,138,1990-01-02\n");
        text.put("long-key", header + "K".repeat(300) + ",A,a@b.cn,138,1990-01-02\n");
        text.put("traversal-key", header + "../../../etc/passwd,A,a@b.cn,138,1990-01-02\n..\\..\\win.ini,B,b@c.cn,139,1991-01-01\n");
        text.put("sql-injection", header + "1';DROP TABLE customer;--,Robert'); DROP TABLE customer_source;--,a@b.cn,138,1990-01-02\n");
        text.put("formulas", header + "1,=HYPERLINK(\"http://evil\";\"x\"),@SUM(1),+1+cmd|' /C calc'!A0,-2+3\n");
        text.put("header-only", header);
        text.put("duplicate-header", "id,name,name,email\n1,A,B,a@b.cn\n");
        text.put("blank-header", ",,,\n1,A,a@b.cn,138\n");
        text.put("only-newlines", "\n".repeat(10_000));
        text.put("empty-lines-between", header + "\n".repeat(5_000) + "1,A,a@b.cn,138,1990-01-02\n");
        text.put("emoji-and-astral", header + "1,😀𠀀張偉,a@b.cn,138,1990-01-02\n");
        text.put("wrong-width", header + "1,A\n2,B,b@c.cn,139,1991-01-01,extra,extra\n3,C,c@d.cn,137,1992-02-02\n");
        text.put("bad-values", header + "1,A,not-an-email,phone?,1995-02-30\n2,B,b@@c,+,31/31/2031\n");
        text.forEach((name, content) -> files.put(name + ".csv", content.getBytes(StandardCharsets.UTF_8)));
        files.put("empty.csv", new byte[0]);
        files.put("invalid-utf8.csv", concat(header.getBytes(StandardCharsets.UTF_8), new byte[] {'1', ',', (byte) 0xC3, (byte) 0x28,
                (byte) 0xFF, ',', 'a', '@', 'b', '.', 'c', 'n', ',', '1', ',', '1', '\n'}));
        files.put("gbk-in-utf8.csv", (header + "1,张伟,a@b.cn,138,1990-01-02\n").getBytes(Charset.forName("GBK")));
        files.put("utf16-bom.csv", (header + "1,A,a@b.cn,138,1990-01-02\n").getBytes(StandardCharsets.UTF_16));
        files.put("binary-noise.csv", noise(20_000));
    }

    private static void json(Map<String, byte[]> files, Path secret) {
        Map<String, String> text = new LinkedHashMap<>();
        String one = "{\"id\":\"1\",\"name\":\"A\",\"email\":\"a@b.cn\"}";
        text.put("truncated", "[" + one + ",{\"id\":\"2\",\"name\":\"B");
        text.put("not-an-array", one);
        text.put("array-of-scalars", "[1,\"two\",null,true,[3]]");
        text.put("deep-nesting", "[" + "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000) + "]");
        text.put("deep-array-nesting", "[" + "[".repeat(100_000) + "]".repeat(100_000) + "]");
        text.put("huge-number", "[{\"id\":" + "9".repeat(10_000) + ",\"name\":\"A\"}]");
        text.put("duplicate-fields", "[{\"id\":\"1\",\"id\":\"2\",\"name\":\"A\",\"name\":\"B\"}]");
        text.put("nan-and-comments", "[/* c */{\"id\":\"1\",\"name\":NaN}]");
        text.put("bad-escapes", "[{\"id\":\"1\",\"name\":\"\\ud800\\uZZZZ\"}]");
        text.put("lone-surrogate", "[{\"id\":\"1\",\"name\":\"\\ud800x\"}]");
        text.put("nested-values", "[{\"id\":{\"x\":1},\"name\":[\"A\",\"B\"],\"email\":{\"e\":\"a@b.cn\"}}]");
        text.put("giant-string", "[{\"id\":\"1\",\"name\":\"" + "N".repeat(8 * 1024 * 1024) + "\"}]");
        text.put("null-and-numeric-keys", "[{\"id\":null,\"name\":\"A\"},{\"id\":12345678901234567890,\"name\":\"B\"},{\"name\":\"C\"}]");
        text.put("traversal-and-injection", "[{\"id\":\"../../etc/passwd\",\"name\":\"<script>alert(1)</script>\",\"email\":\"a'--@b.cn\"}]");
        text.put("many-records", "[" + String.join(",", java.util.Collections.nCopies(5_000, one)) + "]");
        text.put("trailing-garbage", "[" + one + "] trailing {garbage");
        text.put("bom-and-whitespace", "\uFEFF \n\t[" + one + "]\n ");
        text.put("external-ref", "[{\"$ref\":\"file://" + secret + "\",\"id\":\"1\",\"name\":\"A\"}]");
        text.put("control-characters", "[{\"id\":\"1\",\"name\":\"A\\u0000\\u001b[2J\\u202eB\"}]");
        text.put("empty-array", "[]");
        text.put("empty-object-records", "[{},{},{}]");
        text.forEach((name, content) -> files.put(name + ".json", content.getBytes(StandardCharsets.UTF_8)));
        files.put("binary-noise.json", noise(20_000));
        files.put("empty.json", new byte[0]);
    }

    private static void xml(Map<String, byte[]> files, Path secret) {
        Map<String, String> text = new LinkedHashMap<>();
        String one = "<customer><id>1</id><name>A</name><email>a@b.cn</email></customer>";
        text.put("xxe-file", "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file://" + secret + "\">]>"
                + "<customers><customer><id>1</id><name>&x;</name></customer></customers>");
        text.put("xxe-parameter", "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY % p SYSTEM \"file://" + secret + "\"> %p;]>"
                + "<customers>" + one + "</customers>");
        text.put("billion-laughs", "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"lol\">"
                + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
                + "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
                + "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">]>"
                + "<customers><customer><id>1</id><name>&g;</name></customer></customers>");
        text.put("truncated", "<customers>" + one + "<customer><id>2</id><name>B");
        text.put("deep-nesting", "<customers><customer><id>1</id>" + "<n>".repeat(50_000) + "x" + "</n>".repeat(50_000)
                + "</customer></customers>");
        text.put("cdata-and-entities", "<customers><customer><id>1</id><name><![CDATA[A & <B>]]> &amp; &lt;C&gt;</name></customer></customers>");
        text.put("invalid-characters", "<customers><customer><id>1</id><name>A\u0001B</name></customer></customers>");
        text.put("wrong-record-element", "<customers><client><id>1</id><name>A</name></client></customers>");
        text.put("namespaces", "<c:customers xmlns:c=\"urn:x\"><c:customer><c:id>1</c:id><c:name>A</c:name></c:customer></c:customers>");
        text.put("processing-instructions", "<?xml version=\"1.0\"?><?evil cmd=\"rm -rf /\"?><customers>" + one + "<!-- c --></customers>");
        text.put("giant-attribute", "<customers><customer note=\"" + "a".repeat(5_000_000) + "\"><id>1</id><name>A</name></customer></customers>");
        text.put("encoding-mismatch", "<?xml version=\"1.0\" encoding=\"UTF-16\"?><customers>" + one + "</customers>");
        text.put("traversal-and-injection", "<customers><customer><id>../../etc/passwd</id><name>'; DROP TABLE customer;--</name>"
                + "</customer></customers>");
        text.put("two-roots", "<customers>" + one + "</customers><customers>" + one + "</customers>");
        text.put("blank-and-duplicate-keys", "<customers><customer><id></id><name>A</name></customer>" + one + one + "</customers>");
        text.forEach((name, content) -> files.put(name + ".xml", content.getBytes(StandardCharsets.UTF_8)));
        files.put("binary-noise.xml", noise(20_000));
        files.put("empty.xml", new byte[0]);
    }

    private static String good() {
        StringBuilder csv = new StringBuilder("id,name,email,phone,born\n");
        for (int i = 0; i < 10; i++) {
            csv.append("GOOD-").append(i).append(",Good Person ").append((char) ('A' + i)).append(",good").append(i)
                    .append("@example.com,+86 138 0013 80").append(10 + i).append(",1980-01-").append(10 + i).append('\n');
        }
        return csv.toString();
    }

    private static String routes() {
        List<String> routes = new ArrayList<>();
        for (String[] source : new String[][] {{"hcsv", "csv", ""}, {"hjson", "json", ""}, {"hxml", "xml", "customer"}}) {
            StringBuilder route = new StringBuilder("- templatedRoute:\n    routeTemplateRef: file-source\n    routeId: ")
                    .append(source[0]).append("-ingest\n    parameters:\n      - name: source\n        value: ").append(source[0])
                    .append("\n      - name: format\n        value: ").append(source[1]).append('\n');
            if (!source[2].isEmpty()) {
                route.append("      - name: record-element\n        value: ").append(source[2]).append('\n');
            }
            route.append("      - name: mapping\n        value: |\n");
            MAPPING.lines().forEach(line -> route.append("          ").append(line).append('\n'));
            routes.add(route.toString());
        }
        return String.join("", routes);
    }

    private static byte[] noise(int length) {
        byte[] bytes = new byte[length];
        new java.util.Random(length).nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
