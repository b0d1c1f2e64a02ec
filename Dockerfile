# Eager Lab: one image, two roles. `ui` (default) serves the dashboard on 8501; `worker` runs queue jobs
# (needs EAGERLAB_REDIS_URL). Runs as a non-root user on a read-only filesystem; only /tmp must be writable.
#   make image                                  (here: after ../shared/tools/container-base.sh, host network)
#   docker run --rm --network host --read-only --tmpfs /tmp eager-lab            # embedded pool
#   docker run ... -e EAGERLAB_REDIS_URL=redis://HOST:6379/0 eager-lab worker     # a queue worker
# Elsewhere pass --build-arg PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu for torch's CPU build.
FROM debian:bookworm-slim

ARG PIP_EXTRA_INDEX_URL=
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HOME=/tmp PATH=/opt/venv/bin:$PATH

RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends python3 python3-venv ca-certificates >/dev/null \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /tmp --shell /usr/sbin/nologin eager

WORKDIR /app
COPY requirements-app.txt .
RUN python3 -m venv /opt/venv && pip install -q -r requirements-app.txt

COPY .streamlit .streamlit
COPY core core
COPY dashboard dashboard
COPY pages pages
COPY deploy/entrypoint.sh deploy/healthcheck.py deploy/

USER 10001
EXPOSE 8501
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["python", "deploy/healthcheck.py"]
ENTRYPOINT ["sh", "deploy/entrypoint.sh"]
CMD ["ui"]
