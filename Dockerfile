# syntax=docker/dockerfile:1
# customer-hub: build the self-contained jar, run it as a non-root daemon.
#   docker build -t customer-hub .
#   docker run -d --name hub -p 8080:8080 \
#     -v hub-data:/opt/customer-hub/data \
#     -v $PWD/config:/opt/customer-hub/config -v $PWD/routes:/opt/customer-hub/routes \
#     -e HUB_STORE_PASSWORD=... customer-hub

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN groupadd --system hub && useradd --system --gid hub --home-dir /opt/customer-hub --no-create-home hub
WORKDIR /opt/customer-hub
COPY --from=build /build/target/customer-hub.jar customer-hub.jar
COPY config config
COPY routes routes
# the demo sources' data (routes/sources/erp.camel.yaml seeds its H2 database from samples/erp)
COPY samples samples
RUN mkdir -p data && chown -R hub:hub data
USER hub
# config/ and routes/ are the integrator's, data/ holds inboxes, processed files and the H2 store.
VOLUME ["/opt/customer-hub/config", "/opt/customer-hub/routes", "/opt/customer-hub/data"]
# 9876: /observe/health, /observe/metrics (camel.management.port), on the container's loopback only:
#       to scrape it from outside, set CAMEL_MANAGEMENT_HOST=0.0.0.0 with the management server's
#       authentication on (config/application.properties; the hub refuses to start without it),
#       publish it (-p 9876:9876) and give the health check its credentials as
#       HUB_HEALTHCHECK_AUTH=<base64 of user:password>; another port: -e HUB_MANAGEMENT_PORT=...
# 8080: /webhooks/<source> (camel.server.port; another port: -e HUB_SERVER_PORT=...)
EXPOSE 9876 8080
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# Healthy while Camel reports UP; bash's /dev/tcp avoids needing curl in the image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/${HUB_MANAGEMENT_PORT:-9876} && printf "GET /observe/health HTTP/1.0\r\nHost: localhost\r\n${HUB_HEALTHCHECK_AUTH:+Authorization: Basic $HUB_HEALTHCHECK_AUTH\r\n}\r\n" >&3 && head -n 1 <&3 | grep -q " 200"'
# exec: java is PID 1 and gets SIGTERM for a graceful shutdown: batches in flight finish within
# camel.main.shutdown-timeout (30 s), longer than docker stop's default 10 s: stop with docker stop -t 40
# (Compose: stop_grace_period: 40s).
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /opt/customer-hub/customer-hub.jar --home /opt/customer-hub \"$@\"", "--"]
