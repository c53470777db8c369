# syntax=docker/dockerfile:1
#
# The emulated Salesforce org and IdP, for the dev overlay only (a production gateway never
# runs it). Build from the repository root after ./mvnw -B -DskipTests package:
#   docker build -f k8s/emulator.Dockerfile -t salesforce-emulator:dev .
ARG JAVA_IMAGE=eclipse-temurin:21-jre
FROM ${JAVA_IMAGE}
RUN groupadd --gid 10001 emulator \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin --no-log-init emulator
WORKDIR /app
COPY salesforce-emulator/target/salesforce-emulator-*-exec.jar /app/salesforce-emulator.jar
USER 10001:10001
EXPOSE 8090
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", \
            "-jar", "/app/salesforce-emulator.jar"]
# The dev Deployment passes its own arguments (client id and secret from a Secret).
CMD ["--host=0.0.0.0", "--port=8090", "--auto-provision-users=true"]
