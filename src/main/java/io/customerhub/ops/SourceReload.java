package io.customerhub.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads {@code routes/sources/} while the hub runs: the source and sync declarations integrators edit. Every file is
 * checked first (the declarations of all of {@code routes/}, then Camel's own reading of each changed file); an error
 * changes nothing and names the file and line. A valid change replaces only the routes of the files that changed
 * (each stopped gracefully, its batch in flight finished first), adds the routes of new files and removes those of
 * deleted ones; the store keeps watermarks and idempotency, so a replaced source reads on where it was. Should Camel
 * fail to add a changed file's routes after all, the file's previous routes are put back.
 */
public final class SourceReload {

    private static final Logger LOG = LoggerFactory.getLogger(SourceReload.class);

    private final CamelContext context;
    private final Path routes;
    private final Path sources;
    /** What each file of {@code routes/sources/} held when its routes were last loaded. */
    private final Map<Path, String> loaded;
    /** The last refusal the watch logged, so that a broken file is reported once. */
    private String refused;

    /** Takes what {@code routes/sources/} holds now as what the starting hub loads. */
    public SourceReload(CamelContext context, Path routes) {
        this.context = context;
        this.routes = routes;
        this.sources = routes.resolve("sources");
        this.loaded = read();
    }

    /** Reloads the changed, new and deleted files of {@code routes/sources/}; returns what changed. */
    public synchronized String reload() {
        List<String> errors = RouteDeclarations.check(routes);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("nothing reloaded, the route declarations have " + errors.size() + " error(s): "
                    + String.join("; ", errors));
        }
        Map<Path, String> now = read();
        Set<Path> changed = new TreeSet<>();
        now.forEach((file, content) -> {
            if (!content.equals(loaded.get(file))) {
                changed.add(file);
            }
        });
        Set<Path> deleted = new TreeSet<>(loaded.keySet());
        deleted.removeAll(now.keySet());
        if (changed.isEmpty() && deleted.isEmpty()) {
            return "routes/sources unchanged";
        }
        RoutesLoader loader = PluginHelper.getRoutesLoader(context);
        for (Path file : changed) {
            try {
                for (RoutesBuilder builder : loader.findRoutesBuilders(List.of(resource(file, now.get(file))))) {
                    if (builder instanceof RouteBuilder routeBuilder) {
                        routeBuilder.configureRoutes(context); // Camel's reading of the file, without adding anything
                    }
                }
            } catch (Exception e) {
                throw new IllegalArgumentException("nothing reloaded: " + name(file) + ": " + e.getMessage(), e);
            }
        }
        List<String> report = new ArrayList<>();
        for (Path file : deleted) {
            report.add(name(file) + " removed: " + String.join(", ", remove(file, loaded.remove(file))));
        }
        for (Path file : changed) {
            String before = loaded.get(file);
            Set<String> removed = before == null ? Set.of() : remove(file, before);
            Set<String> added = RouteDeclarations.routeIds(now.get(file));
            try {
                loader.loadRoutes(resource(file, now.get(file)));
                start(added);
            } catch (Exception e) {
                if (before != null) {
                    restore(loader, file, before);
                }
                throw new IllegalStateException(name(file) + " could not be loaded and was left as it was: " + e.getMessage(), e);
            }
            loaded.put(file, now.get(file));
            report.add(name(file) + (before == null ? " added: " : " replaced: ") + String.join(", ", added)
                    + (removed.stream().anyMatch(id -> !added.contains(id)) ? " (no longer: " + String.join(", ", difference(removed, added)) + ")" : ""));
        }
        String result = "reloaded " + String.join("; ", report);
        LOG.info(result);
        return result;
    }

    /** Stops (gracefully) and removes the routes {@code content} of {@code file} declared; returns their ids. */
    private Set<String> remove(Path file, String content) {
        Set<String> ids = RouteDeclarations.routeIds(content);
        for (String id : ids) {
            try {
                if (context.getRoute(id) != null) {
                    context.getRouteController().stopRoute(id);
                    context.removeRoute(id);
                }
            } catch (Exception e) {
                throw new IllegalStateException("could not stop route " + id + " of " + name(file) + ": " + e.getMessage(), e);
            }
        }
        return ids;
    }

    /** Starts the routes a reload added (the supervising route controller leaves routes added later stopped). */
    private void start(Set<String> ids) throws Exception {
        for (String id : ids) {
            if (context.getRoute(id) != null && context.getRouteController().getRouteStatus(id) != ServiceStatus.Started) {
                context.getRouteController().startRoute(id);
            }
        }
    }

    private void restore(RoutesLoader loader, Path file, String before) {
        try {
            remove(file, before);
            loader.loadRoutes(resource(file, before));
            start(RouteDeclarations.routeIds(before));
        } catch (Exception e) {
            LOG.error("{}: its previous routes could not be put back either: {}", name(file), e.getMessage());
        }
    }

    private static Set<String> difference(Set<String> all, Set<String> minus) {
        Set<String> rest = new TreeSet<>(all);
        rest.removeAll(minus);
        return rest;
    }

    private Resource resource(Path file, String content) {
        return ResourceHelper.fromString("file:" + file.toAbsolutePath(), content);
    }

    private String name(Path file) {
        return routes.getParent() == null ? file.toString() : routes.getParent().relativize(file).toString();
    }

    private Map<Path, String> read() {
        Map<Path, String> files = new TreeMap<>();
        if (!Files.isDirectory(sources)) {
            return files;
        }
        try (Stream<Path> all = Files.list(sources)) {
            for (Path file : all.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                files.put(file, Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + sources, e);
        }
        return files;
    }

    /**
     * The file watch ({@code hub.reload.watch-interval}): reloads when {@code routes/sources/} changed; a change that
     * cannot be loaded is logged once, and the running routes stay as they are until the file is mended.
     */
    public synchronized void watch() {
        try {
            String result = reload();
            refused = null;
            LOG.debug(result);
        } catch (RuntimeException e) {
            if (!e.getMessage().equals(refused)) {
                LOG.warn("routes/sources changed but was not reloaded: {}", e.getMessage());
                refused = e.getMessage();
            }
        }
    }
}
