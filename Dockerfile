# syntax=docker/dockerfile:1
#
# The gateway's image. The jar is built outside, first:
#   ./mvnw -B -DskipTests package
#   docker build -t sf-gateway:0.1.0 .
#
# Stage 1 splits the Spring Boot fat jar into its layers (Spring Boot 3.3+/4 "tools" jar
# mode); stage 2 copies them from the least to the most often changed, so a code change
# rebuilds and pushes only the small "application" layer.
ARG JAVA_IMAGE=eclipse-temurin:21-jre

FROM ${JAVA_IMAGE} AS extract
WORKDIR /build
COPY gateway-app/target/gateway-app.jar gateway-app.jar
RUN java -Djarmode=tools -jar gateway-app.jar extract --layers --launcher --destination extracted

FROM ${JAVA_IMAGE}
LABEL org.opencontainers.image.title="sf-gateway" \
      org.opencontainers.image.description="Spring Cloud Gateway that trades IdP tokens for Salesforce sessions (RFC 8693)"
# A fixed, numeric, unprivileged user: Kubernetes' runAsNonRoot can verify it.
RUN groupadd --gid 10001 gateway \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin --no-log-init gateway
WORKDIR /app
COPY --from=extract /build/extracted/dependencies/ ./
COPY --from=extract /build/extracted/spring-boot-loader/ ./
COPY --from=extract /build/extracted/snapshot-dependencies/ ./
COPY --from=extract /build/extracted/application/ ./
USER 10001:10001
# 8080: traffic; 8081: actuator (health, prometheus, info).
EXPOSE 8080 8081
# Heap as a share of the container's memory limit, so it follows the pod's limits; G1
# (the JVM would pick Serial below 2 CPUs / 1792 MB); exit at once on OutOfMemoryError so
# Kubernetes restarts the pod instead of it limping on. The JVM writes only to /tmp
# (an emptyDir in Kubernetes; the root file system is read-only).
# JAVA_TOOL_OPTIONS is left free for additions (an agent, -Xlog:gc, ...).
ENTRYPOINT ["java", \
            "-XX:MaxRAMPercentage=75", \
            "-XX:InitialRAMPercentage=50", \
            "-XX:+UseG1GC", \
            "-XX:+ExitOnOutOfMemoryError", \
            "-Djava.io.tmpdir=/tmp", \
            "org.springframework.boot.loader.launch.JarLauncher"]
