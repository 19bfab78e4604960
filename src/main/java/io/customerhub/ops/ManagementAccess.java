package io.customerhub.ops;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;

/**
 * The rule for the management server ({@code /observe/health}, {@code /observe/metrics}): on a loopback address it
 * answers the host's own callers; bound anywhere else it must ask for credentials, or the hub does not start. A
 * misconfigured host then fails loudly at start instead of publishing the hub's state to the network.
 */
public final class ManagementAccess {

    private ManagementAccess() {
    }

    /** Fails, naming the settings to change, when the server is on and reachable from other hosts without authentication. */
    public static void check(HttpManagementServerConfigurationProperties server) {
        if (!server.isEnabled() || server.isAuthenticationEnabled() || isLoopback(server.getHost())) {
            return;
        }
        throw new IllegalStateException("camel.management.host is " + server.getHost() + ", which other hosts can reach,"
                + " and the management server asks for no credentials: set camel.management.authentication-enabled=true with"
                + " camel.management.basic-properties-file (or a JWT keystore), or bind it to 127.0.0.1");
    }

    private static boolean isLoopback(String host) {
        try {
            return host != null && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
