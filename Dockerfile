# Multi-stage build: the Rust toolchain stays in the first stage, the image ships the binary
# and the starter content only. SQLite and libpq are compiled in (no system library needed).
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p lieu

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /var/lib/lieu --create-home lieu
COPY --from=build /src/target/release/lieu /usr/local/bin/lieu
COPY wiki-content /usr/share/lieu/wiki-content
ENV LIEU_BIND=0.0.0.0:8080 \
    LIEU_CONTENT_DIR=/usr/share/lieu/wiki-content \
    LIEU_DATABASE_URL=sqlite:///var/lib/lieu/lieu.sqlite3
USER lieu
WORKDIR /var/lib/lieu
VOLUME /var/lib/lieu
EXPOSE 8080
CMD ["lieu", "serve"]
