#!/bin/sh
# The image's two roles: `ui` serves the dashboard, `worker` runs jobs from the Redis queue.
set -eu
role="${1:-ui}"
export EAGERLAB_ROLE="$role"
case "$role" in
  ui) exec streamlit run dashboard/app.py --server.address 0.0.0.0 --server.port "${PORT:-8501}" ;;
  worker) exec python -m core.queue_worker ;;
  *) echo "unknown role '$role': use ui or worker" >&2; exit 2 ;;
esac
