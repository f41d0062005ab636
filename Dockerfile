# syntax=docker/dockerfile:1
#
# The registry as a container: built in a Go image, run as a non-root user
# on distroless "static" (no shell, no package manager, just CA
# certificates and tzdata). The binary is static: the embedded store is
# pure Go (modernc.org/sqlite), so CGO is off.
#
#   docker build -t schemata-registry .
#   docker run -p 8081:8081 -v schemata-data:/var/lib/schemata schemata-registry

FROM golang:1.26 AS build
WORKDIR /src
# Dependencies first, so source edits reuse the module cache layer.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/registry ./cmd/registry \
 && CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/schemactl ./cmd/schemactl \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
# nonroot is uid/gid 65532; the embedded store's directory belongs to it.
COPY --from=build --chown=65532:65532 /out/data /var/lib/schemata
COPY --from=build /out/registry /out/schemactl /usr/local/bin/
USER 65532:65532
ENV REGISTRY_LISTEN=:8081 \
    REGISTRY_DATA_DIR=/var/lib/schemata \
    REGISTRY_LOG_FORMAT=json
EXPOSE 8081
VOLUME ["/var/lib/schemata"]
ENTRYPOINT ["/usr/local/bin/registry"]
