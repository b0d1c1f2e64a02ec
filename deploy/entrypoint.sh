#!/bin/sh
# The image's roles: `ui` serves the dashboard; `worker [fast|slow]` runs one lane's jobs from the Redis queue.
set -eu
role="${1:-ui}"
export EAGERLAB_ROLE="$role"
# With a queue, every process must hold the HMAC key that signs what goes through Redis: refuse to start without.
if [ -n "${EAGERLAB_REDIS_URL:-}" ] && [ -z "${EAGERLAB_QUEUE_KEY:-}" ] && [ ! -s "${EAGERLAB_QUEUE_KEY_FILE:-/nonexistent}" ]; then
  echo "set EAGERLAB_QUEUE_KEY (or EAGERLAB_QUEUE_KEY_FILE): the secret UI replicas and workers share" >&2
  exit 2
fi
case "$role" in
  ui) exec python -m dashboard.serve --server.address 0.0.0.0 --server.port "${PORT:-8501}" ;;
  worker) exec python -m core.queue_worker --lane "${2:-fast}" ;;
  *) echo "unknown role '$role': use ui or worker" >&2; exit 2 ;;
esac
